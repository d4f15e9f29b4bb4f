/*
 * <almen-chat>: almen's embeddable chat widget. One file, no dependencies, no build step.
 *
 *   <script src="https://almen.kommune.dk/widget.js" defer></script>
 *   <almen-chat api-base="https://almen.kommune.dk" api-key="..." title="Spørg almen"
 *               filter-kind="vejledning" filter-org="Boligforeningen Eksempel" filter-year="2024" filter-on="2024-01-01"></almen-chat>
 *
 * Answers stream from POST /api/chat (Server-Sent Events read with fetch); citations open a side
 * panel with the passage (GET /api/chunks/{id}); feedback goes to POST /api/feedback. The
 * conversation is kept per browser tab (sessionStorage).
 */
(function () {
  "use strict";

  const SCRIPT = document.currentScript;
  const SCRIPT_URL = SCRIPT && SCRIPT.src ? new URL(SCRIPT.src, location.href) : new URL("/widget.js", location.href);
  const MAX_HISTORY_TURNS = 8;
  const THUMB = '<svg class="ac-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">' +
    '<path d="M2 10h4v11H2zM8 21h9.5a2 2 0 0 0 2-1.6l1.4-7A2 2 0 0 0 19 10h-5.3l.9-4.3a1.6 1.6 0 0 0-2.8-1.3L8 9.5z"/></svg>';

  // ---------------------------------------------------------------- safe Markdown

  /** Escape text for HTML (always the first step: the renderer only ever adds its own tags). */
  function escapeHtml(text) {
    return String(text)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#39;");
  }

  /** The target of a Markdown link, when it is one of almen's own source pages (/kilde/...) at almen's
   * address; null for anything else (other sites, "/\\host" and "//host" tricks, javascript:, data:),
   * whose label is shown as plain text. An answer quotes documents, and a document can hold any link. */
  function safeUrl(escapedUrl) {
    const raw = escapedUrl.replace(/&amp;/g, "&").replace(/&#39;/g, "'").replace(/&quot;/g, '"');
    if (/[\\\s\u0000-\u001f"'<>]/.test(raw)) return null;
    let url;
    try { url = new URL(raw, SCRIPT_URL); } catch (e) { return null; }
    if (url.origin !== SCRIPT_URL.origin || !/^\/kilde\/[^/]/.test(url.pathname)) return null;
    return escapeHtml(url.href);
  }

  /** Inline Markdown on already escaped text: code, bold, italics, links and [n] citation markers.
   * Finished code and links are set aside as numbered placeholders, so the later rules never reach into
   * their text or attributes (a "**" or "[1]" in a link's address must not become tags inside href). */
  function renderInline(escaped) {
    const kept = [];
    const keep = function (html) {
      kept.push(html);
      return "\u0000" + (kept.length - 1) + "\u0000";
    };
    let out = escaped.replace(/\u0000/g, "").replace(/`([^`]+)`/g, function (_, code) {
      return keep("<code>" + code + "</code>");
    });
    out = out.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, function (whole, label, url) {
      const ok = safeUrl(url);
      return ok ? keep('<a href="' + ok + '" target="_blank" rel="noopener noreferrer">' + label + "</a>") : label;
    });
    out = out.replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");
    out = out.replace(/(^|[\s(])\*([^*\s][^*]*)\*(?=[\s).,;:!?]|$)/g, "$1<em>$2</em>");
    out = out.replace(/(^|[\s(])_([^_\s][^_]*)_(?=[\s).,;:!?]|$)/g, "$1<em>$2</em>");
    out = out.replace(/\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]/g, function (_, list) {
      return list.split(",").map(function (n) {
        n = n.trim();
        return '<button type="button" class="ac-cite" data-n="' + n + '" aria-label="Vis kilde ' + n + '">' + n + "</button>";
      }).join("");
    });
    for (let pass = 0; pass < 3 && out.indexOf("\u0000") >= 0; pass++) {  // a link's label can hold code
      out = out.replace(/\u0000(\d+)\u0000/g, function (_, i) { return kept[Number(i)] || ""; });
    }
    return out;
  }

  /** A small, safe Markdown renderer: headings, lists, quotes, code blocks, paragraphs. */
  function renderMarkdown(text) {
    const lines = escapeHtml(text || "").split(/\r?\n/);
    const html = [];
    let para = [];
    let list = null; // {tag, items}
    let quote = [];
    let code = null;

    function flushPara() {
      if (para.length) html.push("<p>" + para.map(renderInline).join("<br>") + "</p>");
      para = [];
    }
    function flushList() {
      if (list) html.push("<" + list.tag + ">" + list.items.map(function (i) { return "<li>" + renderInline(i) + "</li>"; }).join("") + "</" + list.tag + ">");
      list = null;
    }
    function flushQuote() {
      if (quote.length) html.push("<blockquote>" + quote.map(renderInline).join("<br>") + "</blockquote>");
      quote = [];
    }
    function flushAll() { flushPara(); flushList(); flushQuote(); }

    for (const line of lines) {
      if (code !== null) {
        if (/^```/.test(line)) { html.push("<pre><code>" + code.join("\n") + "</code></pre>"); code = null; }
        else code.push(line);
        continue;
      }
      if (/^```/.test(line)) { flushAll(); code = []; continue; }
      let m;
      if (!line.trim()) { flushAll(); continue; }
      if ((m = /^(#{1,6})\s+(.*)$/.exec(line))) {
        flushAll();
        const level = Math.min(6, m[1].length + 2); // answers live inside a page: start at h3
        html.push("<h" + level + ">" + renderInline(m[2]) + "</h" + level + ">");
        continue;
      }
      if ((m = /^\s*[-*•]\s+(.*)$/.exec(line))) {
        flushPara(); flushQuote();
        if (!list || list.tag !== "ul") { flushList(); list = { tag: "ul", items: [] }; }
        list.items.push(m[1]);
        continue;
      }
      if ((m = /^\s*\d{1,3}[.)]\s+(.*)$/.exec(line))) {
        flushPara(); flushQuote();
        if (!list || list.tag !== "ol") { flushList(); list = { tag: "ol", items: [] }; }
        list.items.push(m[1]);
        continue;
      }
      if ((m = /^&gt;\s?(.*)$/.exec(line))) { flushPara(); flushList(); quote.push(m[1]); continue; }
      if (list && /^\s{2,}\S/.test(line)) { list.items[list.items.length - 1] += " " + line.trim(); continue; }
      flushList(); flushQuote();
      para.push(line);
    }
    if (code !== null) html.push("<pre><code>" + code.join("\n") + "</code></pre>");
    flushAll();
    return html.join("");
  }

  /** Find ``quote`` in ``text`` ignoring whitespace differences; returns [start, end] or null. */
  function findQuote(text, quote) {
    const q = (quote || "").replace(/…$/, "").trim();
    if (!q) return null;
    const words = q.split(/\s+/).map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    if (!words.length) return null;
    try {
      const m = new RegExp(words.join("\\s+")).exec(text);
      return m ? [m.index, m.index + m[0].length] : null;
    } catch (e) {
      return null;
    }
  }

  /** The last / first ~n characters of a text, cut at a word boundary. */
  function tail(text, n) {
    if (text.length <= n) return text;
    const cut = text.slice(-n);
    const space = cut.search(/\s/);
    return space >= 0 ? cut.slice(space + 1) : cut;
  }
  function head(text, n) {
    if (text.length <= n) return text;
    const cut = text.slice(0, n);
    const space = cut.search(/\s\S*$/);
    return space > 0 ? cut.slice(0, space) : cut;
  }

  // ---------------------------------------------------------------- SSE over fetch

  /** Parse Server-Sent Events from a fetch response, calling onEvent(name, data) per event. */
  async function readEvents(response, onEvent) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder("utf-8");
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      buffer += decoder.decode(value || new Uint8Array(), { stream: !done });
      buffer = buffer.replace(/\r\n?/g, "\n");
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        let name = "message";
        const data = [];
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) continue;
          const i = line.indexOf(":");
          const field = i < 0 ? line : line.slice(0, i);
          const val = i < 0 ? "" : line.slice(i + 1).replace(/^ /, "");
          if (field === "event") name = val;
          else if (field === "data") data.push(val);
        }
        if (data.length) onEvent(name, data.join("\n"));
      }
      if (done) break;
    }
  }

  // ---------------------------------------------------------------- the element

  const TEMPLATE = `
    <div class="ac-root" part="root">
      <header class="ac-header">
        <h2 class="ac-title"></h2>
        <button type="button" class="ac-new" aria-label="Ny samtale: ryd samtalen og start forfra">Ny samtale</button>
      </header>
      <div class="ac-body">
        <div class="ac-log" role="log" aria-live="polite" aria-relevant="additions text" aria-label="Samtale" tabindex="0">
          <p class="ac-empty">Stil et spørgsmål om styringsdialogen, fx <em>Hvad skal en styringsrapport indeholde?</em>
            Svarene bygger kun på vidensbasens kilder, og hver kilde kan åbnes.</p>
        </div>
        <aside class="ac-panel" role="dialog" aria-modal="false" aria-labelledby="ac-panel-title" hidden>
          <div class="ac-panel-head">
            <h3 id="ac-panel-title" class="ac-panel-title">Kilde</h3>
            <button type="button" class="ac-panel-close" aria-label="Luk kildevisningen">✕</button>
          </div>
          <div class="ac-panel-body" tabindex="0"></div>
        </aside>
      </div>
      <div class="ac-status" role="status" aria-live="polite"></div>
      <form class="ac-form">
        <label class="ac-sr" for="ac-input">Dit spørgsmål</label>
        <textarea id="ac-input" class="ac-input" rows="2" maxlength="2000"
          placeholder="Skriv dit spørgsmål …" aria-describedby="ac-input-help"></textarea>
        <span id="ac-input-help" class="ac-sr">Enter sender, Skift+Enter giver ny linje.</span>
        <button type="submit" class="ac-send" aria-label="Send spørgsmålet">Send</button>
      </form>
    </div>`;

  class AlmenChat extends HTMLElement {
    static get observedAttributes() { return ["title", "api-base", "api-key"]; }

    constructor() {
      super();
      this._shadow = this.attachShadow({ mode: "open" });
      this._turns = [];
      this._busy = false;
      this._controller = null;
      this._lastChip = null;
    }

    connectedCallback() {
      if (this._ready) return;
      this._ready = true;
      const css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = new URL("widget.css", SCRIPT_URL).href;
      const wrap = document.createElement("div");
      wrap.innerHTML = TEMPLATE;
      this._shadow.append(css, wrap.firstElementChild);
      const $ = (sel) => this._shadow.querySelector(sel);
      this.$log = $(".ac-log");
      this.$form = $(".ac-form");
      this.$input = $(".ac-input");
      this.$send = $(".ac-send");
      this.$status = $(".ac-status");
      this.$panel = $(".ac-panel");
      this.$panelBody = $(".ac-panel-body");
      this.$panelTitle = $(".ac-panel-title");
      this._applyTitle(this.getAttribute("title"));

      this.$form.addEventListener("submit", (e) => { e.preventDefault(); this.ask(this.$input.value); });
      this.$input.addEventListener("keydown", (e) => {
        if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); this.ask(this.$input.value); }
      });
      $(".ac-new").addEventListener("click", () => this.reset());
      $(".ac-panel-close").addEventListener("click", () => this.closePanel());
      this._shadow.addEventListener("keydown", (e) => {
        if (e.key === "Escape" && !this.$panel.hidden) { e.preventDefault(); this.closePanel(); }
      });
      this.$log.addEventListener("click", (e) => this._onLogClick(e));
      this._restore();
    }

    attributeChangedCallback(name, _old, value) {
      if (name === "title" && this._ready && value !== null) this._applyTitle(value);
    }

    /** Show the title in the header; the host's title attribute is moved away so it is no tooltip. */
    _applyTitle(value) {
      if (value !== null && value !== undefined) this._title = value;
      const title = this._title || "Spørg almen";
      this._shadow.querySelector(".ac-title").textContent = title;
      this.setAttribute("role", "region");
      this.setAttribute("aria-label", title);
      if (this.hasAttribute("title")) this.removeAttribute("title");
    }

    // -- configuration ------------------------------------------------------------------
    get apiBase() {
      const base = this.getAttribute("api-base") || SCRIPT_URL.origin;
      return base.replace(/\/+$/, "");
    }

    _headers(json) {
      const h = { Accept: "application/json, text/event-stream" };
      if (json) h["Content-Type"] = "application/json";
      const key = this.getAttribute("api-key");
      if (key) h.Authorization = "Bearer " + key;
      const csrf = this.getAttribute("csrf-token");  // set by almen's own page for logged-in users
      if (csrf) h["X-CSRF-Token"] = csrf;
      return h;
    }

    _filters() {
      const f = {};
      for (const name of ["kind", "org", "municipality", "on", "source_id"]) {
        const v = this.getAttribute("filter-" + name.replace("_", "-"));
        if (v) f[name] = v;
      }
      const year = this.getAttribute("filter-year");
      if (year && /^\d{4}$/.test(year)) f.year = Number(year);
      return Object.keys(f).length ? f : null;
    }

    get _storageKey() { return "almen-chat:" + this.apiBase + ":" + (this.id || "standard"); }

    _save() {
      try { sessionStorage.setItem(this._storageKey, JSON.stringify({ turns: this._turns.slice(-40) })); } catch (e) { /* full or blocked */ }
    }

    _restore() {
      let saved = null;
      try { saved = JSON.parse(sessionStorage.getItem(this._storageKey) || "null"); } catch (e) { saved = null; }
      if (!saved || !Array.isArray(saved.turns)) return;
      this._turns = saved.turns;
      for (const turn of this._turns) {
        if (turn.role === "user") this._addUser(turn.content);
        else if (turn.answer) this._renderAnswer(this._addAssistant(), turn.answer);
      }
    }

    reset() {
      if (this._controller) this._controller.abort();
      this._turns = [];
      this._save();
      this.closePanel();
      this.$log.innerHTML = "";
      const p = document.createElement("p");
      p.className = "ac-empty";
      p.textContent = "Ny samtale startet. Stil et spørgsmål.";
      this.$log.append(p);
      this._setStatus("Samtalen er ryddet.");
      this.$input.focus();
    }

    // -- asking -------------------------------------------------------------------------
    async ask(raw) {
      const question = (raw || "").trim();
      if (!question || this._busy) return;
      this._busy = true;
      this.$send.disabled = true;
      this.$input.value = "";
      const history = this._turns.slice(-MAX_HISTORY_TURNS).map((t) => ({ role: t.role, content: t.content }));
      this._addUser(question);
      this._turns.push({ role: "user", content: question });
      this._save();
      const msg = this._addAssistant();
      msg.classList.add("ac-streaming");
      msg.setAttribute("aria-busy", "true");
      this._setStatus("Søger i kilderne …");
      let text = "";
      let finished = false;
      this._controller = new AbortController();
      try {
        const body = { question: question, history: history };
        const filters = this._filters();
        if (filters) body.filters = filters;
        if (this.getAttribute("generator") === "llm") body.generator = "llm";
        const response = await fetch(this.apiBase + "/api/chat", {
          method: "POST", headers: this._headers(true), body: JSON.stringify(body), signal: this._controller.signal,
        });
        if (!response.ok) throw new Error(await this._problemText(response));
        await readEvents(response, (name, data) => {
          let payload = {};
          try { payload = JSON.parse(data); } catch (e) { return; }
          if (name === "text") {
            text += payload.text || "";
            msg.querySelector(".ac-text").innerHTML = renderMarkdown(text);
            this._setStatus("Skriver svar …");
            this._scroll();
          } else if (name === "done") {
            finished = true;
            this._renderAnswer(msg, payload);
            this._turns.push({ role: "assistant", content: payload.text || "", answer: payload });
            this._save();
            this._setStatus(payload.abstained ? "almen fandt ikke et sikkert svar." :
              "Svar klar med " + (payload.citations || []).length + " kilde(r).");
          } else if (name === "error") {
            throw new Error(payload.detail || "Der opstod en fejl under svaret.");
          }
        });
        if (!finished) throw new Error("Forbindelsen blev afbrudt, før svaret var færdigt. Prøv igen.");
      } catch (err) {
        if (err && err.name === "AbortError") {
          msg.remove();
        } else {
          this._renderError(msg, err && err.message ? err.message : "Der opstod en fejl.");
          this._setStatus("Fejl: " + (err && err.message ? err.message : ""));
        }
      } finally {
        msg.classList.remove("ac-streaming");
        msg.removeAttribute("aria-busy");
        this._busy = false;
        this.$send.disabled = false;
        this._controller = null;
        this._scroll();
      }
    }

    async _problemText(response) {
      let detail = "";
      try { const p = await response.json(); detail = p.detail || p.title || ""; } catch (e) { detail = ""; }
      if (response.status === 401) return detail || "Der kræves en gyldig API-nøgle.";
      if (response.status === 429) return detail || "For mange spørgsmål lige nu. Vent lidt og prøv igen.";
      return detail || "Tjenesten svarede med fejl " + response.status + ".";
    }

    // -- rendering ----------------------------------------------------------------------
    _addUser(text) {
      const empty = this.$log.querySelector(".ac-empty");
      if (empty) empty.remove();
      const el = document.createElement("div");
      el.className = "ac-msg ac-user";
      el.setAttribute("aria-label", "Dit spørgsmål");
      const p = document.createElement("p");
      p.textContent = text;
      el.append(p);
      this.$log.append(el);
      this._scroll();
    }

    _addAssistant() {
      const el = document.createElement("article");
      el.className = "ac-msg ac-assistant";
      el.setAttribute("aria-label", "Svar fra almen");
      el.innerHTML = '<div class="ac-text"><p class="ac-wait">…</p></div>';
      this.$log.append(el);
      this._scroll();
      return el;
    }

    _renderError(msg, message) {
      msg.classList.add("ac-error");
      const p = document.createElement("p");
      p.className = "ac-error-text";
      p.setAttribute("role", "alert");
      p.textContent = message;
      msg.querySelector(".ac-text").replaceChildren(p);
    }

    _renderAnswer(msg, answer) {
      msg._answer = answer;
      msg.dataset.answerId = answer.answer_id || "";
      msg.classList.toggle("ac-abstained", !!answer.abstained);
      msg.querySelector(".ac-text").innerHTML = renderMarkdown(answer.text || "");
      for (const old of msg.querySelectorAll(".ac-note, .ac-sources, .ac-actions, .ac-feedback")) old.remove();
      const notes = [];
      // The text of a declined answer already gives the reason; the note only says what the chips are.
      if (answer.abstained && (answer.citations || []).length) notes.push("Kilderne nedenfor er de nærmeste, ikke et svar.");
      for (const n of answer.notes || []) notes.push(n);
      for (const n of notes) {
        const p = document.createElement("p");
        p.className = "ac-note";
        p.setAttribute("role", "note");
        p.textContent = n;
        msg.append(p);
      }
      const cites = answer.citations || [];
      if (cites.length) {
        const wrap = document.createElement("div");
        wrap.className = "ac-sources";
        const h = document.createElement("p");
        h.className = "ac-sources-title";
        h.textContent = answer.abstained ? "Nærmeste kilder" : "Kilder";
        const list = document.createElement("ol");
        list.setAttribute("aria-label", h.textContent);
        for (const c of cites) {
          const li = document.createElement("li");
          const chip = document.createElement("button");
          chip.type = "button";
          chip.className = "ac-chip";
          chip.dataset.n = String(c.n);
          const full = this._chipDescription(c);
          chip.setAttribute("aria-label", "Åbn kilde " + c.n + ": " + full);
          chip.title = full;
          chip.append(...this._chipParts(c));
          li.append(chip);
          list.append(li);
        }
        wrap.append(h, list);
        msg.append(wrap);
      }
      if (answer.answer_id) msg.append(this._actions(msg, answer));
    }

    /** A chip: its number, the provision the answer's sentence cites (or the source's title), the pages apart so a
     *  long title never cuts them off, and for built-in notes their origin (the public sources). */
    _chipParts(c) {
      const part = (cls, text) => {
        const el = document.createElement("span");
        el.className = cls;
        el.textContent = text;
        return el;
      };
      const text = c.chip || c.label;
      const parts = [part("ac-chip-n", String(c.n))];
      const body = part("ac-chip-body", "");
      const line = part("ac-chip-line", "");
      line.append(part("ac-chip-label", text));
      if (c.pages) line.append(part("ac-chip-pages", c.pages));
      body.append(line);
      if (c.origin) body.append(part("ac-chip-origin", "Indbygget note · " + c.origin));
      parts.push(body);
      return parts;
    }

    /** The chip's full description (tooltip and screen reader): label, pages, origin. */
    _chipDescription(c) {
      return [c.label, c.pages && c.label.indexOf(c.pages) < 0 ? c.pages : "",
        c.origin ? "indbygget note efter " + c.origin : ""].filter(Boolean).join(", ");
    }

    _actions(msg, answer) {
      const bar = document.createElement("div");
      bar.className = "ac-actions";
      bar.innerHTML =
        '<button type="button" class="ac-copy" aria-label="Kopiér svaret med kilder">Kopiér</button>' +
        '<button type="button" class="ac-up" aria-pressed="false" aria-label="Godt svar (tommel op)">' + THUMB + "Godt</button>" +
        '<button type="button" class="ac-down" aria-pressed="false" aria-label="Dårligt svar (tommel ned)">' + THUMB + "Dårligt</button>" +
        '<span class="ac-action-status" role="status" aria-live="polite"></span>';
      bar.querySelector(".ac-copy").addEventListener("click", () => this._copy(bar, answer));
      bar.querySelector(".ac-up").addEventListener("click", () => this._openFeedback(msg, bar, "up"));
      bar.querySelector(".ac-down").addEventListener("click", () => this._openFeedback(msg, bar, "down"));
      return bar;
    }

    async _copy(bar, answer) {
      const sources = (answer.citations || []).map((c) => "[" + c.n + "] " + c.label + (c.url ? " (" + c.url + ")" : "")).join("\n");
      const text = (answer.text || "") + (sources ? "\n\nKilder:\n" + sources : "");
      const status = bar.querySelector(".ac-action-status");
      try {
        await navigator.clipboard.writeText(text);
      } catch (e) {
        const area = document.createElement("textarea");
        area.value = text;
        area.setAttribute("readonly", "");
        area.style.position = "fixed";
        area.style.opacity = "0";
        this._shadow.append(area);
        area.select();
        try { document.execCommand("copy"); } catch (e2) { /* ignore */ }
        area.remove();
      }
      status.textContent = "Svaret er kopieret.";
    }

    _openFeedback(msg, bar, rating) {
      bar.querySelector(".ac-up").setAttribute("aria-pressed", String(rating === "up"));
      bar.querySelector(".ac-down").setAttribute("aria-pressed", String(rating === "down"));
      let form = msg.querySelector(".ac-feedback");
      if (!form) {
        form = document.createElement("form");
        form.className = "ac-feedback";
        const id = "ac-fb-" + Math.random().toString(36).slice(2, 9);
        form.innerHTML =
          '<label for="' + id + '">Kommentar (valgfri)</label>' +
          '<textarea id="' + id + '" class="ac-feedback-comment" rows="2" maxlength="2000"></textarea>' +
          '<div class="ac-feedback-buttons"><button type="submit" class="ac-feedback-send">Send feedback</button>' +
          '<button type="button" class="ac-feedback-cancel">Annullér</button></div>';
        form.addEventListener("submit", (e) => { e.preventDefault(); this._sendFeedback(msg, form); });
        form.querySelector(".ac-feedback-cancel").addEventListener("click", () => form.remove());
        msg.append(form);
      }
      form.dataset.rating = rating;
      form.querySelector("textarea").focus();
    }

    async _sendFeedback(msg, form) {
      const status = msg.querySelector(".ac-action-status");
      const body = {
        answer_id: msg.dataset.answerId, rating: form.dataset.rating,
        comment: form.querySelector("textarea").value.trim(),
      };
      form.querySelector(".ac-feedback-send").disabled = true;
      try {
        const response = await fetch(this.apiBase + "/api/feedback", {
          method: "POST", headers: this._headers(true), body: JSON.stringify(body),
        });
        if (!response.ok) throw new Error(await this._problemText(response));
        form.remove();
        status.textContent = "Tak for din feedback.";
        for (const b of msg.querySelectorAll(".ac-up, .ac-down")) b.disabled = true;
      } catch (err) {
        form.querySelector(".ac-feedback-send").disabled = false;
        status.textContent = "Feedback kunne ikke sendes: " + err.message;
      }
    }

    _onLogClick(e) {
      const chip = e.target.closest(".ac-chip, .ac-cite");
      if (!chip) return;
      const msg = chip.closest(".ac-assistant");
      const answer = msg && msg._answer;
      if (!answer) return;
      const citation = (answer.citations || []).find((c) => String(c.n) === chip.dataset.n);
      if (citation) this.openSource(citation, chip);
    }

    // -- the source panel ---------------------------------------------------------------
    async openSource(citation, opener) {
      this._lastChip = opener || null;
      this.$panel.hidden = false;
      this.$panelTitle.textContent = "Kilde " + citation.n;
      this.$panelBody.innerHTML = '<p class="ac-wait">Henter kilden …</p>';
      this.$panel.querySelector(".ac-panel-close").focus();
      try {
        const response = await fetch(this.apiBase + "/api/chunks/" + encodeURIComponent(citation.chunk_id), {
          headers: this._headers(false),
        });
        if (!response.ok) throw new Error(await this._problemText(response));
        this._renderSource(citation, await response.json());
      } catch (err) {
        this._renderSource(citation, null, err.message);
      }
    }

    _renderSource(citation, chunk, error) {
      const body = this.$panelBody;
      body.replaceChildren();
      const add = (tag, cls, text) => {
        const el = document.createElement(tag);
        if (cls) el.className = cls;
        if (text !== undefined) el.textContent = text;
        body.append(el);
        return el;
      };
      const src = chunk || citation;
      add("p", "ac-src-title", src.title || citation.title || citation.label);
      const facts = document.createElement("dl");
      facts.className = "ac-src-facts";
      const fact = (name, value) => {
        if (!value) return;
        const dt = document.createElement("dt");
        dt.textContent = name;
        const dd = document.createElement("dd");
        dd.textContent = value;
        facts.append(dt, dd);
      };
      fact("Bestemmelse", src.legal_label || citation.legal_label);
      const heading = (src.heading || citation.heading || "").split(" > ").filter(Boolean);
      fact("Afsnit", heading.length > 1 ? heading.slice(1).join(" › ") : "");
      const ps = src.page_start || citation.page_start;
      const pe = src.page_end || citation.page_end;
      fact("Side", ps ? (pe && pe !== ps ? ps + "–" + pe : String(ps)) : "");
      fact("Dokumenttype", src.kind || citation.kind);
      fact("Version", src.version || citation.version);
      body.append(facts);
      const link = (url, text) => {
        if (!url || !/^https?:/i.test(url)) return null;
        const a = add("a", "ac-src-link", text);
        a.href = url;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        return a;
      };
      link(src.url || citation.url, "Vis passagen i dokumentet");
      link(src.source_url || citation.source_url, "Åbn originalen");
      const publicSources = src.public_sources || citation.public_sources || [];
      if (publicSources.length) {
        add("p", "ac-src-origin-title", "Noten bygger på disse offentlige kilder:");
        const list = document.createElement("ul");
        list.className = "ac-src-origin";
        for (const ps of publicSources) {
          if (!/^https?:/i.test(ps.url || "")) continue;
          const li = document.createElement("li");
          const a = document.createElement("a");
          a.href = ps.url;
          a.target = "_blank";
          a.rel = "noopener noreferrer";
          a.textContent = ps.title || ps.url;
          li.append(a);
          list.append(li);
        }
        body.append(list);
      }
      if (error) {
        add("p", "ac-error-text", error).setAttribute("role", "alert");
        if (citation.quote) add("blockquote", "ac-src-quote", citation.quote);
        return;
      }
      if (chunk.before) add("p", "ac-src-context", "… " + tail(chunk.before, 300));
      const passage = add("div", "ac-src-text");
      const span = findQuote(chunk.text, citation.quote);
      if (span) {
        passage.append(document.createTextNode(chunk.text.slice(0, span[0])));
        const mark = document.createElement("mark");
        mark.className = "ac-src-mark";
        mark.textContent = chunk.text.slice(span[0], span[1]);
        passage.append(mark, document.createTextNode(chunk.text.slice(span[1])));
      } else {
        passage.textContent = chunk.text;
        if (citation.quote) {
          add("p", "ac-src-quote-label", "Understøttende passage:");
          const q = add("blockquote", "ac-src-quote");
          const mark = document.createElement("mark");
          mark.className = "ac-src-mark";
          mark.textContent = citation.quote;
          q.append(mark);
        }
      }
      if (chunk.after) add("p", "ac-src-context", head(chunk.after, 300) + " …");
      if (span) {
        const mark = body.querySelector(".ac-src-mark");
        if (mark && mark.scrollIntoView) mark.scrollIntoView({ block: "nearest" });
      }
    }

    closePanel() {
      if (!this.$panel || this.$panel.hidden) return;
      this.$panel.hidden = true;
      if (this._lastChip && this._lastChip.isConnected) this._lastChip.focus();
    }

    // -- helpers ------------------------------------------------------------------------
    _setStatus(text) { this.$status.textContent = text; }

    _scroll() { this.$log.scrollTop = this.$log.scrollHeight; }
  }

  if (!customElements.get("almen-chat")) customElements.define("almen-chat", AlmenChat);
  window.AlmenChat = { element: AlmenChat, renderMarkdown: renderMarkdown, escapeHtml: escapeHtml };
})();
