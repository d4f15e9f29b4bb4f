/* The try-it page at /: API key, document upload, report review and the document list. No dependencies. */
(function () {
  "use strict";

  const KEY_STORAGE = "almen-page-key";
  const $ = (id) => document.getElementById(id);

  function key() { return sessionStorage.getItem(KEY_STORAGE) || ""; }

  function headers() {
    const k = key();
    return k ? { Authorization: "Bearer " + k } : {};
  }

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (name === "class") node.className = value;
      else node.setAttribute(name, value);
    }
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  async function problem(response) {
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    const detail = body && (body.detail || body.title);
    if (response.status === 401) return detail || "Der kræves en API-nøgle.";
    if (response.status === 403) return detail || "Din nøgle giver ikke adgang til dette (kræver editor).";
    return detail || "Fejl " + response.status + ".";
  }

  function applyKey() {
    const chat = $("chat");
    if (!chat) return;
    if (key()) chat.setAttribute("api-key", key());
    else chat.removeAttribute("api-key");
  }

  // -- API key ----------------------------------------------------------------------------
  $("api-key").value = key();
  applyKey();
  $("key-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const value = $("api-key").value.trim();
    if (value) sessionStorage.setItem(KEY_STORAGE, value);
    else sessionStorage.removeItem(KEY_STORAGE);
    applyKey();
    $("key-help").textContent = value ? "Nøglen bruges nu (kun i denne fane)." : "Ingen nøgle: anonym adgang, hvis tjenesten tillader det.";
  });

  // -- upload -----------------------------------------------------------------------------
  const STATUS = { added: "tilføjet", updated: "opdateret", unchanged: "uændret", failed: "fejlet" };

  $("upload-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const out = $("upload-result");
    const form = e.target;
    const data = new FormData();
    const file = $("upload-file").files[0];
    if (!file) return;
    data.append("file", file, file.name);
    for (const name of ["kind", "org", "year"]) {
      const value = form.elements[name].value.trim();
      if (value) data.append(name, value);
    }
    out.replaceChildren(el("p", {}, "Indlæser " + file.name + " …"));
    form.querySelector("button[type=submit]").disabled = true;
    try {
      const response = await fetch("/api/documents", { method: "POST", headers: headers(), body: data });
      if (!response.ok) throw new Error(await problem(response));
      const result = await response.json();
      const r = result.report;
      out.replaceChildren(
        el("p", { class: "ok" }, "“" + (r.title || r.name) + "” er " + (STATUS[r.status] || r.status) + ": " +
          r.chunks + " tekststykker" + (r.pages ? ", " + r.pages + " sider" : "") + "."),
      );
      if (r.cpr_redactions) out.append(el("p", {}, r.cpr_redactions + " CPR-numre blev fjernet før indlæsning."));
      for (const w of r.warnings || []) out.append(el("p", { class: "help" }, w));
      form.reset();
      refreshDocuments(false);
    } catch (err) {
      out.replaceChildren(el("p", { class: "fail", role: "alert" }, err.message));
    } finally {
      form.querySelector("button[type=submit]").disabled = false;
    }
  });

  // -- documents ---------------------------------------------------------------------------
  async function refreshDocuments(announce) {
    const out = $("docs-result");
    try {
      const response = await fetch("/api/documents", { headers: headers() });
      if (!response.ok) throw new Error(await problem(response));
      const data = await response.json();
      const table = el("table");
      const head = el("tr");
      for (const h of ["Titel", "Type", "Stykker", ""]) head.append(el("th", { scope: "col" }, h));
      table.append(head);
      for (const d of data.documents) {
        const row = el("tr");
        row.append(el("td", {}, d.title), el("td", {}, d.kind), el("td", {}, d.chunk_count));
        const cell = el("td");
        if (!d.builtin) {
          const del = el("button", { type: "button", "aria-label": "Slet " + d.title }, "Slet");
          del.addEventListener("click", () => deleteDocument(d));
          cell.append(del);
        } else {
          cell.append(el("span", { class: "help" }, "indbygget"));
        }
        row.append(cell);
        table.append(row);
      }
      out.replaceChildren(el("p", {}, data.count + " dokumenter."), table);
    } catch (err) {
      if (announce !== false) out.replaceChildren(el("p", { class: "fail", role: "alert" }, err.message));
    }
  }

  async function deleteDocument(doc) {
    if (!window.confirm("Slet “" + doc.title + "” fra vidensbasen?")) return;
    const response = await fetch("/api/documents/" + encodeURIComponent(doc.source_id), { method: "DELETE", headers: headers() });
    if (!response.ok) {
      $("docs-result").prepend(el("p", { class: "fail", role: "alert" }, await problem(response)));
      return;
    }
    refreshDocuments();
  }

  $("docs-refresh").addEventListener("click", () => refreshDocuments());

  // -- report review -----------------------------------------------------------------------
  const FINDING_CLASS = { ok: "status-ok", "følg op": "status-warn", folg_op: "status-warn", follow_up: "status-warn",
    "mangler data": "status-missing", mangler_data: "status-missing", missing: "status-missing" };

  function findingsOf(result) {
    for (const name of ["findings", "items", "checks", "results"]) {
      if (Array.isArray(result[name])) return result[name];
    }
    return [];
  }

  function linksOf(result) {
    const links = [];
    const add = (label, url) => { if (typeof url === "string" && /^\/(?!\/)/.test(url)) links.push([label, url]); };
    for (const name of ["downloads", "links"]) {
      const group = result[name];
      if (group && typeof group === "object") {
        for (const [label, url] of Object.entries(group)) add(label, typeof url === "string" ? url : url && url.url);
      }
    }
    for (const [name, value] of Object.entries(result)) {
      if (/_url$/.test(name)) add(name.replace(/_url$/, ""), value);
    }
    return links;
  }

  function labelOf(link) {
    const l = link.toLowerCase();
    if (l.includes("docx") || l.includes("word")) return "Hent notatet som Word (.docx)";
    if (l.includes("md") || l.includes("markdown")) return "Hent notatet som Markdown";
    if (l.includes("json")) return "Hent resultatet som JSON";
    return "Hent " + link;
  }

  async function download(url, name) {
    const response = await fetch(url, { headers: headers() });
    if (!response.ok) throw new Error(await problem(response));
    const blob = await response.blob();
    const href = URL.createObjectURL(blob);
    const a = el("a", { href: href, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(href), 10000);
  }

  $("review-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const form = e.target;
    const out = $("review-result");
    const file = $("review-file").files[0];
    if (!file) return;
    const data = new FormData();
    data.append("file", file, file.name);
    const previous = $("review-previous").files[0];
    if (previous) data.append("previous", previous, previous.name);
    for (const name of ["org", "year"]) {
      const value = form.elements[name].value.trim();
      if (value) data.append(name, value);
    }
    out.replaceChildren(el("p", {}, "Gennemgår " + file.name + " …"));
    form.querySelector("button[type=submit]").disabled = true;
    try {
      const response = await fetch("/api/reviews", { method: "POST", headers: headers(), body: data });
      if (!response.ok) throw new Error(await problem(response));
      const result = await response.json();
      out.replaceChildren();
      const who = [result.organisation || result.org, result.year || result.styringsaar].filter(Boolean).join(", ");
      if (who) out.append(el("p", {}, "Rapport: " + who));
      if (result.summary) out.append(el("p", {}, typeof result.summary === "string" ? result.summary : JSON.stringify(result.summary)));
      const findings = findingsOf(result);
      if (findings.length) {
        const list = el("ul");
        for (const f of findings) {
          const status = String(f.status || f.result || "");
          const li = el("li");
          li.append(el("span", { class: FINDING_CLASS[status.toLowerCase()] || "" }, status ? status + ": " : ""));
          li.append(document.createTextNode((f.title || f.question || f.topic || f.id || "") + (f.reason ? " – " + f.reason : "")));
          list.append(li);
        }
        out.append(el("p", {}, findings.length + " punkter i tjeklisten:"), list);
      }
      for (const [name, url] of linksOf(result)) {
        const button = el("button", { type: "button" }, labelOf(name));
        const filename = (url.split("/").pop() || "notat").split("?")[0];
        button.addEventListener("click", () => download(url, filename).catch((err) =>
          out.append(el("p", { class: "fail", role: "alert" }, err.message))));
        out.append(el("p", {}), button);
      }
      const raw = el("details");
      raw.append(el("summary", {}, "Vis alle data"), el("pre", {}, JSON.stringify(result, null, 2)));
      out.append(raw);
    } catch (err) {
      out.replaceChildren(el("p", { class: "fail", role: "alert" }, err.message));
    } finally {
      form.querySelector("button[type=submit]").disabled = false;
    }
  });
})();
