"""What answering, review and agreements share: afdelinger, organisation names, dates, status words.

The domain rules that more than one part of the service applies live here, each in one function:
reading a Danish date or deadline, the overdue rule, the status words of an agreement and how a
statement words them, whether two organisation names are the same, tying a statement to an
agreement. This package imports nothing else from ``service``; review and agreements import it.
"""
