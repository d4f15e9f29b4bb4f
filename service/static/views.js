/* Look rather than read: the key-figure table and charts of a review, and the deadline timeline of the
   agreement overview. Used by app.js (window.AlmenViews); no dependencies, inline SVG only.

   Both are made for the keyboard and screen readers: a real table (caption, column and row headers), charts as
   <figure> with an SVG role="img" carrying <title> and <desc>, the timeline as an ordered list of months with
   buttons that open the agreement's source. */
(function () {
  "use strict";

  const SVG = "http://www.w3.org/2000/svg";
  const MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
    "november", "december"];
  let uid = 0;

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (name === "class") node.className = value;
      else node.setAttribute(name, value);
    }
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, String(value));
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /** An <svg role="img"> labelled by its own <title> and <desc> (read by screen readers as one image). */
  function accessibleSvg(width, height, title, desc, cls) {
    const id = "almen-svg-" + (++uid);
    const root = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img", class: cls,
      "aria-labelledby": id + "-t " + id + "-d", focusable: "false" });
    root.append(svg("title", { id: id + "-t" }, title), svg("desc", { id: id + "-d" }, desc));
    return root;
  }

  /** Explicit table roles: the narrow layout shows rows as blocks (CSS display), and a screen reader must still
   *  meet a table with column and row headers. */
  function tableRoles(table) {
    table.setAttribute("role", "table");
    for (const g of table.querySelectorAll("thead, tbody")) g.setAttribute("role", "rowgroup");
    for (const r of table.querySelectorAll("tr")) r.setAttribute("role", "row");
    for (const h of table.querySelectorAll("th")) h.setAttribute("role", h.getAttribute("scope") === "row" ? "rowheader" : "columnheader");
    for (const c of table.querySelectorAll("td")) c.setAttribute("role", "cell");
    return table;
  }

  // ---------------------------------------------------------------- review: key figures

  const STATUS_CLASS = { "følg op": "status-warn", "mangler data": "status-missing", "OK": "status-ok" };

  function cell(row, tag, label, text, cls) {
    const c = el(tag, Object.assign({ "data-label": label }, cls ? { class: cls } : {}), text || "–");
    if (tag === "th") c.setAttribute("scope", "row");
    row.append(c);
    return c;
  }

  function figureTable(rows, caption) {
    const table = el("table", { class: "figures-table" });
    table.append(el("caption", {}, caption));
    const head = el("tr");
    for (const h of ["Nøgletal", "Afdeling", "I år", "Sidste år", "Ændring", "Referenceniveau", "Status"]) {
      head.append(el("th", { scope: "col" }, h));
    }
    const thead = el("thead");
    thead.append(head);
    const body = el("tbody");
    for (const r of rows) {
      const tr = el("tr", r.status === "følg op" ? { class: "flagged" } : {});
      cell(tr, "th", "Nøgletal", r.label);
      cell(tr, "td", "Afdeling", r.afdeling || "organisationen");
      cell(tr, "td", "I år", r.display + (r.page ? " (s. " + r.page + ")" : ""), "num");
      cell(tr, "td", "Sidste år", r.last_display, "num");
      cell(tr, "td", "Ændring", r.change_display, "num");
      cell(tr, "td", "Referenceniveau", r.reference_display, "num");
      const status = cell(tr, "td", "Status", "");
      status.replaceChildren(el("span", { class: STATUS_CLASS[r.status] || "" }, r.status));
      body.append(tr);
    }
    table.append(thead, body);
    return tableRoles(table);
  }

  /** A small bar chart of one flagged figure: last year, this year, and the reference level as a line. */
  function figureChart(r) {
    const bars = [];
    if (r.last_value !== null && r.last_value !== undefined) bars.push(["Sidste år", r.last_value, r.last_display, "bar-last"]);
    bars.push(["I år", r.value, r.display, "bar-now"]);
    const values = bars.map((b) => b[1]).concat(r.reference_value !== null && r.reference_value !== undefined ? [r.reference_value] : []);
    const top = Math.max.apply(null, values.concat([0])) * 1.18 || 1;
    const bottom = Math.min.apply(null, values.concat([0]));
    const W = 320, H = 164, left = 8, right = 8, base = 132, roof = 40;
    const y = (v) => base - (v - bottom) / (top - bottom) * (base - roof);
    const who = r.afdeling ? ", " + r.afdeling : "";
    const parts = bars.map((b) => b[0].toLowerCase() + " " + b[2]);
    if (r.reference_display) parts.push("referenceniveau " + r.reference_display);
    const chart = accessibleSvg(W, H, r.label + who + ": " + parts.join(", ") + ".",
      (r.reasons || []).join(" ") || ("Til opfølgning: " + (r.topics || []).join(", ") + "."), "figure-chart");
    const slot = (W - left - right) / bars.length;
    bars.forEach((b, i) => {
      const x = left + i * slot + slot * 0.2;
      const w = slot * 0.6;
      const yTop = y(Math.max(b[1], 0));
      const h = Math.max(1, Math.abs(y(b[1]) - y(0)));
      chart.append(svg("rect", { x: x, y: b[1] >= 0 ? yTop : y(0), width: w, height: h, class: b[3], rx: 2 }));
      chart.append(svg("text", { x: x + w / 2, y: Math.max(roof - 4, (b[1] >= 0 ? yTop : y(0)) - 5),
        "text-anchor": "middle", class: "chart-value" }, b[2]));
      chart.append(svg("text", { x: x + w / 2, y: H - 10, "text-anchor": "middle", class: "chart-axis" }, b[0]));
    });
    chart.append(svg("line", { x1: left, x2: W - right, y1: y(0), y2: y(0), class: "chart-base" }));
    if (r.reference_value !== null && r.reference_value !== undefined) {
      // the line at its level; its label as a legend above the bars, where it never meets a value
      const ry = y(r.reference_value);
      chart.append(svg("line", { x1: left, x2: W - right, y1: ry, y2: ry, class: "chart-ref" }));
      chart.append(svg("line", { x1: left, x2: left + 22, y1: 11, y2: 11, class: "chart-ref" }));
      chart.append(svg("text", { x: left + 28, y: 15, class: "chart-ref-label" }, "referenceniveau " + r.reference_display));
    }
    const figure = el("figure", { class: "figure-card" });
    figure.append(chart, el("figcaption", {}, r.label + who));
    return figure;
  }

  /** The review's key figures: flagged rows with a chart each, then a table; the other rows behind a disclosure. */
  function renderKeyFigures(container, rows) {
    container.replaceChildren();
    if (!rows || !rows.length) return;
    const flagged = rows.filter((r) => r.status === "følg op");
    const others = rows.filter((r) => r.status !== "følg op");
    const heading = el("h3", { id: "figures-h-" + (++uid) }, "Nøgletal til opfølgning");
    container.append(heading);
    if (flagged.length) {
      const charts = el("div", { class: "figure-charts", role: "list", "aria-label": "Grafer for nøgletal til opfølgning" });
      for (const r of flagged) {
        const item = el("div", { role: "listitem" });
        item.append(figureChart(r));
        charts.append(item);
      }
      container.append(figureTable(flagged, flagged.length + " nøgletal til opfølgning: i år, sidste år og referenceniveau"),
        charts);
    } else {
      container.append(el("p", {}, "Ingen nøgletal skal følges op."));
    }
    if (others.length) {
      const details = el("details", { class: "figures-more" });
      details.append(el("summary", {}, "Vis de øvrige " + others.length + " nøgletal"),
        figureTable(others, "Øvrige nøgletal"));
      container.append(details);
    }
  }

  // ---------------------------------------------------------------- agreements: deadline timeline

  function parseDay(text) {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text || "");
    return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  }

  function dayText(d) { return d.getUTCDate() + ". " + MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear(); }

  function monthIndex(d, start) { return (d.getUTCFullYear() - start.getUTCFullYear()) * 12 + d.getUTCMonth() - start.getUTCMonth(); }

  /** The deadlines of the next 12 months (this month and the 11 after it, from ``todayText``) and the overdue ones,
   *  as an overview strip and a list. */
  function renderTimeline(container, agreements, todayText, onSelect) {
    container.replaceChildren();
    if (!agreements || !agreements.length) return;
    const today = parseDay(todayText) || new Date();
    const start = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1));
    const end = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 12, 0));  // this month and 11 more
    const overdue = [];
    const months = Array.from({ length: 12 }, () => []);
    let without = 0;
    for (const a of agreements || []) {
      const d = parseDay(a.deadline);
      if (!d) { without += 1; continue; }
      if (a.overskredet) overdue.push([d, a]);
      else if (d >= today && d <= end) months[monthIndex(d, start)].push([d, a]);
    }
    const upcoming = months.reduce((n, m) => n + m.length, 0);
    const id = "timeline-h-" + (++uid);
    const section = el("section", { class: "timeline", "aria-labelledby": id });
    section.append(el("h3", { id: id }, "Frister de næste 12 måneder"));
    section.append(el("p", { class: "help" }, upcoming + " frist(er) fra " + dayText(today) + " til " + dayText(end) +
      (overdue.length ? ", " + overdue.length + " overskredet" : "") +
      (without ? "; " + without + " aftale(r) uden dato er ikke vist" : "") + "."));
    container.append(section);  // in the page first: the strip is drawn for the width it gets
    section.append(overviewStrip(months, overdue, start, section.clientWidth));
    const list = el("ol", { class: "timeline-months" });
    if (overdue.length) list.append(monthItem("Overskredet", overdue, true, onSelect));
    months.forEach((items, i) => {
      if (!items.length) return;
      const m = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + i, 1));
      list.append(monthItem(MONTHS[m.getUTCMonth()] + " " + m.getUTCFullYear(), items, false, onSelect));
    });
    if (list.children.length) section.append(list);
  }

  /** Counts per month as a strip of boxes: the overdue first, then the 12 months; two rows of six on a narrow
   *  screen, so the labels keep their size (the SVG is drawn at the width it is shown in). */
  function overviewStrip(months, overdue, start, width) {
    const W = Math.max(300, Math.min(760, Math.round(width || 640)));
    const cols = W < 520 ? 6 : 12;
    const lead = 64, step = (W - lead - 4) / cols, rowH = 52, H = rowH * (12 / cols) + 6;
    const counts = months.map((m) => m.length);
    const described = counts.map((n, i) => {
      const m = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + i, 1));
      return MONTHS[m.getUTCMonth()] + " " + m.getUTCFullYear() + ": " + n;
    });
    const strip = accessibleSvg(W, H, "Tidslinje over fristerne: " + overdue.length + " overskredet, " +
      counts.reduce((a, b) => a + b, 0) + " de næste 12 måneder.", "Antal frister pr. måned: " + described.join(", ") + ".",
      "timeline-strip");
    strip.append(svg("rect", { x: 2, y: 6, width: lead - 10, height: 26, rx: 4, class: overdue.length ? "strip-overdue" : "strip-empty" }));
    strip.append(svg("text", { x: (lead - 8) / 2, y: 24, "text-anchor": "middle", class: "strip-count" }, overdue.length));
    strip.append(svg("text", { x: (lead - 8) / 2, y: 47, "text-anchor": "middle", class: "strip-label" }, "overskr."));
    counts.forEach((n, i) => {
      const x = lead + (i % cols) * step;
      const top = Math.floor(i / cols) * rowH;
      const m = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + i, 1));
      strip.append(svg("rect", { x: x + 2, y: top + 6, width: step - 4, height: 26, rx: 4, class: n ? "strip-month" : "strip-empty" }));
      if (n) strip.append(svg("text", { x: x + step / 2, y: top + 24, "text-anchor": "middle", class: "strip-count" }, n));
      strip.append(svg("text", { x: x + step / 2, y: top + 47, "text-anchor": "middle", class: "strip-label" },
        MONTHS[m.getUTCMonth()].slice(0, 3)));
    });
    strip.style.maxWidth = W + "px";
    return strip;
  }

  function monthItem(title, items, late, onSelect) {
    const li = el("li", { class: late ? "timeline-month overdue" : "timeline-month" });
    const id = "tm-" + (++uid);
    li.append(el("h4", { id: id }, title + " (" + items.length + ")"));
    const ul = el("ul", { "aria-labelledby": id });
    items.sort((a, b) => a[0] - b[0]);
    for (const [d, a] of items) {
      const item = el("li", { class: "timeline-item" });
      const head = el("p", { class: "timeline-head" });
      head.append(el("span", { class: "timeline-date" }, dayText(d)));
      if (late) head.append(el("span", { class: "timeline-flag" }, "overskredet"));
      item.append(head);
      const who = [a.organisation, a.afdeling, a.type_label].filter(Boolean).join(" · ");
      if (who) item.append(el("p", { class: "timeline-who" }, who));
      item.append(el("p", { class: "timeline-text" }, a.text));
      const source = (a.sources || [])[0];
      if (source && source.chunk_id && onSelect) {
        const button = el("button", { type: "button", class: "timeline-open",
          "aria-label": "Vis kilden til aftalen med frist " + dayText(d) + ": " + a.text }, "Vis kilden");
        button.addEventListener("click", () => onSelect(source));
        item.append(button);
      }
      ul.append(item);
    }
    li.append(ul);
    return li;
  }

  window.AlmenViews = { renderKeyFigures: renderKeyFigures, renderTimeline: renderTimeline, tableRoles: tableRoles };
})();
