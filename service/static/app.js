/* The try-it page at /: API key, document upload, report review, the document list and the agreement
   overview (tab 'Aftaler'). No dependencies. */
(function () {
  "use strict";

  const KEY_STORAGE = "almen-page-key";
  const $ = (id) => document.getElementById(id);

  let csrfToken = "";  // from /auth/session for logged-in users; writes must carry it

  function key() { return sessionStorage.getItem(KEY_STORAGE) || ""; }

  function headers() {
    const h = {};
    const k = key();
    if (k) h.Authorization = "Bearer " + k;
    if (csrfToken) h["X-CSRF-Token"] = csrfToken;
    return h;
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

  // -- access: local mode, logged-in user, or an API key -------------------------------------
  const ROLE_TEXT = { reader: "læser", editor: "redaktør", admin: "administrator" };

  async function showAccess() {
    let info = null;
    try {
      const response = await fetch("/auth/session", { headers: headers() });
      if (response.ok) info = await response.json();
    } catch (e) { info = null; }
    if (!info) return;
    csrfToken = info.csrf_token || "";
    const chat = $("chat");
    if (chat) {
      if (csrfToken) chat.setAttribute("csrf-token", csrfToken);
      else chat.removeAttribute("csrf-token");
    }
    const status = $("access-status");
    const loggedIn = info.via === "session" || info.via === "proxy";
    $("key-form").hidden = info.mode === "local" || loggedIn;
    $("login-link").hidden = !info.login_url || loggedIn || info.mode === "local";
    if (info.login_url) $("login-link").href = info.login_url + "?next=" + encodeURIComponent(location.pathname);
    $("logout-button").hidden = !info.can_logout;
    if (info.mode === "local") {
      status.textContent = "Lokal tilstand: du har fuld adgang fra denne maskine – ingen nøgle nødvendig.";
    } else if (loggedIn) {
      status.textContent = "Logget ind som " + info.user + " (" + (ROLE_TEXT[info.role] || info.role) + ")" +
        (info.scope ? ", afgrænsning " + info.scope : "") + ".";
    } else if (info.login_url) {
      status.textContent = "Log ind med kommunens login for at bruge almen.";
    } else {
      status.textContent = "";
    }
  }

  $("logout-button").addEventListener("click", async () => {
    const response = await fetch("/auth/logout", { method: "POST", headers: headers() });
    const data = response.ok ? await response.json() : {};
    if (data.end_session_url && /^https?:\/\//.test(data.end_session_url)) window.location.assign(data.end_session_url);
    else window.location.reload();
  });

  // -- API key ----------------------------------------------------------------------------
  $("api-key").value = key();
  applyKey();
  showAccess();
  $("key-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const value = $("api-key").value.trim();
    if (value) sessionStorage.setItem(KEY_STORAGE, value);
    else sessionStorage.removeItem(KEY_STORAGE);
    applyKey();
    $("key-help").textContent = value ? "Nøglen bruges nu (kun i denne fane)." : "Ingen nøgle: anonym adgang, hvis tjenesten tillader det.";
    showAccess();
  });

  // -- upload -----------------------------------------------------------------------------
  const STATUS = { added: "tilføjet", updated: "opdateret", unchanged: "uændret", failed: "fejlet" };

  function uploadData(form, file, choice) {
    const data = new FormData();
    data.append("file", file, file.name);
    for (const name of ["kind", "org", "year"]) {
      const value = form.elements[name].value.trim();
      if (value) data.append(name, value);
    }
    if (choice) data.append(choice, "true");
    return data;
  }

  function danishTime(seconds) {
    const d = new Date(seconds * 1000);
    return d.toLocaleDateString("da-DK", { day: "numeric", month: "long", year: "numeric" }) + " kl. " +
      d.toLocaleTimeString("da-DK", { hour: "2-digit", minute: "2-digit" });
  }

  // The API answers 409 when a document with the same file name (and organisation) exists: ask the user.
  // Resolves to "replace", "keep_both" or "" (cancel; also Escape).
  function askConflict(existing, name) {
    const dialog = $("conflict-dialog");
    const title = existing && existing.title ? "“" + existing.title + "”" : "et dokument";
    const when = existing && existing.ingested_at ? ", uploadet " + danishTime(existing.ingested_at) : "";
    const org = existing && existing.org ? " for " + existing.org : "";
    $("conflict-text").textContent = "Der findes allerede " + title + " med filnavnet " + name + org + when +
      ". Vil du erstatte det med den nye fil eller beholde begge?";
    return new Promise((resolve) => {
      const buttons = dialog.querySelectorAll("button[data-choice]");
      const pick = (e) => dialog.close(e.currentTarget.dataset.choice);
      for (const b of buttons) b.addEventListener("click", pick);
      dialog.addEventListener("close", () => {
        for (const b of buttons) b.removeEventListener("click", pick);
        resolve(dialog.returnValue || "");
      }, { once: true });
      dialog.returnValue = "";
      dialog.showModal();
    });
  }

  async function postUpload(form, file, choice) {
    return fetch("/api/documents", { method: "POST", headers: headers(), body: uploadData(form, file, choice) });
  }

  // An official act or order (chosen, or a LexDania XML file) is imported as a version of its act: /api/laws.
  function isOfficialLaw(form, file) {
    const kind = form.elements.kind.value;
    return kind === "officiel-lov" || (kind === "" && /\.xml$/i.test(file.name));
  }

  async function importLaw(form, file, out) {
    const data = new FormData();
    data.append("file", file, file.name);
    const response = await fetch("/api/laws", { method: "POST", headers: headers(), body: data });
    if (!response.ok) throw new Error(await problem(response));
    const r = await response.json();
    const head = "“" + r.title + "”, " + r.version;
    out.replaceChildren(el("p", { class: "ok" }, r.status === "unchanged"
      ? head + " er allerede importeret: intet er ændret."
      : head + " er " + (STATUS[r.status] || r.status) + ": " + r.chunks + " tekststykker."));
    out.append(el("p", {}, r.current ? "Det er den gældende version af " + r.act_name + "."
      : "Det er ikke den gældende version: " + r.current_version + " er nyere. Den gemmes som afløst."));
    if (r.superseded.length) {
      out.append(el("p", {}, "Markeret som afløst (gemt til spørgsmål om en dato): " + r.superseded.join(", ") + "."));
    }
    for (const w of r.warnings || []) out.append(el("p", { class: "help" }, w));
    form.reset();
    refreshDocuments(false);
  }

  $("upload-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const out = $("upload-result");
    const form = e.target;
    const file = $("upload-file").files[0];
    if (!file) return;
    out.replaceChildren(el("p", {}, "Indlæser " + file.name + " …"));
    const submit = form.querySelector("button[type=submit]");
    submit.disabled = true;
    let asked = false;
    try {
      if (isOfficialLaw(form, file)) {
        await importLaw(form, file, out);
        return;
      }
      let response = await postUpload(form, file, "");
      if (response.status === 409) {
        asked = true;
        const body = await response.json();
        const choice = await askConflict(body.existing, body.name || file.name);
        if (!choice) {
          out.replaceChildren(el("p", {}, "Upload annulleret. Det eksisterende dokument er ikke ændret."));
          return;
        }
        out.replaceChildren(el("p", {}, "Indlæser " + file.name + " …"));
        response = await postUpload(form, file, choice);
      }
      if (!response.ok) throw new Error(await problem(response));
      const result = await response.json();
      const r = result.report;
      out.replaceChildren(
        el("p", { class: "ok" }, "“" + (r.title || r.name) + "” er " + (STATUS[r.status] || r.status) + ": " +
          r.chunks + " tekststykker" + (r.pages ? ", " + r.pages + " sider" : "") + "."),
      );
      if (r.name && r.name !== file.name) out.append(el("p", {}, "Gemt som " + r.name + "."));
      if (result.detected && result.detected.fields.length && result.document) {
        out.append(detectedForm(result.document, result.detected));
      }
      if (r.cpr_redactions) out.append(el("p", {}, r.cpr_redactions + " CPR-numre blev fjernet før indlæsning."));
      for (const w of r.warnings || []) out.append(el("p", { class: "help" }, w));
      form.reset();
      refreshDocuments(false);
    } catch (err) {
      out.replaceChildren(el("p", { class: "fail", role: "alert" }, err.message));
    } finally {
      submit.disabled = false;
      if (asked) submit.focus();  // the dialog gave focus back to the button while it was disabled
    }
  });

  // What was read from the document (organisation, year), with a small form to correct it (PATCH).
  function detectedForm(doc, detected) {
    const box = el("form", { class: "detected" });
    const what = [detected.organisation ? "organisation: " + detected.organisation : "",
                  detected.year ? "år: " + detected.year : ""].filter(Boolean).join(", ");
    box.append(el("p", {}, "Aflæst i dokumentet – " + (what || "intet fundet") + ". Ret det her, hvis det er forkert:"));
    const org = el("input", { type: "text", name: "org", maxlength: "200", "aria-label": "Boligorganisation" });
    org.value = detected.organisation || "";
    const year = el("input", { type: "number", name: "year", min: "1900", max: "2200", "aria-label": "År" });
    year.value = detected.year || "";
    const save = el("button", { type: "submit" }, "Ret");
    box.append(org, year, save);
    box.addEventListener("submit", async (e) => {
      e.preventDefault();
      const data = new FormData();
      if (org.value.trim()) data.append("org", org.value.trim());
      if (year.value.trim()) data.append("year", year.value.trim());
      const response = await fetch("/api/documents/" + encodeURIComponent(doc.source_id),
                                   { method: "PATCH", headers: headers(), body: data });
      box.append(el("p", { class: response.ok ? "ok" : "fail", role: "status" },
                    response.ok ? "Rettet." : await problem(response)));
      if (response.ok) refreshDocuments(false);
    });
    return box;
  }

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
  const STATUS_CLASS = { "ok": "status-ok", "følg op": "status-warn", "mangler data": "status-missing" };
  const STATUS_ORDER = { "følg op": 0, "mangler data": 1, "ok": 2 };

  function linksOf(result) {
    const links = [];
    const group = result.links || {};
    for (const [name, url] of Object.entries(group)) {
      if (name !== "self" && typeof url === "string" && /^\/(?!\/)/.test(url)) links.push([name, url]);
    }
    return links;
  }

  function labelOf(name) {
    if (name === "docx") return "Hent notatet som Word (.docx)";
    if (name === "markdown") return "Hent notatet som Markdown";
    return "Hent " + name;
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

  // The side card says it is done and offers the note; the full-width report below shows the figures as a
  // table and charts (views.js) and the checklist.
  function renderReview(out, result) {
    out.replaceChildren();
    const who = [result.organisation, result.year ? "styringsår " + result.year : ""].filter(Boolean).join(", ");
    out.append(el("p", { class: "ok" }, "Gennemgået: " + (who || result.title || "rapporten") +
      (result.figures ? " – " + result.figures.length + " nøgletal fundet." : "")));
    const detected = (result.detected && result.detected.fields) || [];
    if (detected.length) {
      const names = { organisation: "organisationen", year: "styringsåret" };
      out.append(el("p", { class: "help" }, "Aflæst i rapporten: " + detected.map((f) => names[f] || f).join(" og ") +
        ". Er det forkert, så ret felterne ovenfor og gennemgå igen."));
      const form = $("review-form");
      if (!form.elements.org.value && result.organisation) form.elements.org.value = result.organisation;
      if (!form.elements.year.value && result.year) form.elements.year.value = result.year;
    }
    if (result.knowledge_base) {
      const kb = result.knowledge_base;
      out.append(el("p", { class: kb.status === "failed" ? "fail" : "ok" }, kb.status === "failed"
        ? "Rapporten kunne ikke tilføjes vidensbasen: " + (kb.message || "")
        : "Rapporten er tilføjet vidensbasen; aftaleoversigten læser den nu også."));
    }
    const jump = el("a", { href: "#review-report" }, "Se nøgletal, grafer og tjekliste");
    jump.addEventListener("click", (e) => { e.preventDefault(); $("review-report").focus(); });
    const more = el("p");
    more.append(jump);
    out.append(more);
    for (const [name, url] of linksOf(result)) {
      const button = el("button", { type: "button", class: "download" }, labelOf(name));
      const filename = "forberedelsesnotat" + (name === "docx" ? ".docx" : ".md");
      button.addEventListener("click", () => download(url, filename).catch((err) =>
        out.append(el("p", { class: "fail", role: "alert" }, err.message))));
      out.append(button);
    }
    renderReport(result, who);
  }

  function renderReport(result, who) {
    const section = $("review-report");
    const body = $("review-report-body");
    $("review-report-title").textContent = "Gennemgang: " + (who || result.title || "styringsrapporten");
    body.replaceChildren();
    if (result.summary) body.append(el("p", {}, result.summary));
    for (const w of result.warnings || []) body.append(el("p", { class: "help" }, w));
    const figures = el("div", { class: "key-figures" });
    if (window.AlmenViews) window.AlmenViews.renderKeyFigures(figures, result.key_figures || []);
    body.append(figures);
    const checks = (result.checks || []).slice().sort((a, b) =>
      (STATUS_ORDER[String(a.status).toLowerCase()] ?? 3) - (STATUS_ORDER[String(b.status).toLowerCase()] ?? 3));
    if (checks.length) {
      const list = el("ul", { class: "findings" });
      for (const c of checks) {
        const status = String(c.status || "");
        const li = el("li");
        li.append(el("span", { class: STATUS_CLASS[status.toLowerCase()] || "" }, status + ": "));
        const topic = c.topic || c.question || c.id || "";
        const summary = c.summary || "";
        li.append(document.createTextNode(summary.startsWith(topic) ? summary : topic + (summary ? " – " + summary : "")));
        list.append(li);
      }
      const flagged = checks.filter((c) => String(c.status).toLowerCase() === "følg op").length;
      body.append(el("h3", {}, "Tjekliste"), el("p", {}, checks.length + " punkter, " + flagged + " til opfølgning:"), list);
    }
    if ((result.agreements || []).length) {
      body.append(el("p", {}, "Opfølgning på " + result.agreements.length + " aftale(r) fra " + (result.referat || "sidste referat") + "."));
    }
    section.hidden = false;
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
    if ($("review-add").checked) data.append("add_to_kb", "true");
    out.replaceChildren(el("p", {}, "Gennemgår " + file.name + " …"));
    form.querySelector("button[type=submit]").disabled = true;
    try {
      const response = await fetch("/api/reviews", { method: "POST", headers: headers(), body: data });
      if (!response.ok) throw new Error(await problem(response));
      renderReview(out, await response.json());
    } catch (err) {
      out.replaceChildren(el("p", { class: "fail", role: "alert" }, err.message));
    } finally {
      form.querySelector("button[type=submit]").disabled = false;
    }
  });

  // -- tabs: Assistent | Aftaler (WAI-ARIA tabs: arrow keys move between tabs) --------------------
  const TABS = [["tab-assistant", "panel-assistant"], ["tab-agreements", "panel-agreements"]];
  let agreementsLoaded = false;

  function showTab(tabId, focus) {
    for (const [t, p] of TABS) {
      const selected = t === tabId;
      $(t).setAttribute("aria-selected", selected ? "true" : "false");
      $(t).tabIndex = selected ? 0 : -1;
      $(p).hidden = !selected;
    }
    if (focus) $(tabId).focus();
    if (tabId === "tab-agreements" && !agreementsLoaded) {
      agreementsLoaded = true;
      loadAgreements();
    }
  }

  for (const [t] of TABS) {
    $(t).addEventListener("click", () => showTab(t, false));
    $(t).addEventListener("keydown", (e) => {
      const i = TABS.findIndex(([id]) => id === t);
      if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
        e.preventDefault();
        const next = TABS[(i + (e.key === "ArrowRight" ? 1 : TABS.length - 1)) % TABS.length][0];
        showTab(next, true);
      }
    });
  }

  // -- agreement overview -----------------------------------------------------------------------
  const STATUS_STYLE = { opfyldt: "status-ok", i_gang: "status-warn", ikke_opfyldt: "status-warn", ukendt: "status-missing" };
  let lastAgreements = [];

  function agreementParams() {
    const params = new URLSearchParams();
    for (const name of ["org", "type", "status"]) {
      const value = $("agreements-" + name).value;
      if (value) params.set(name, value);
    }
    return params;
  }

  function fillOrganisations(names) {
    const select = $("agreements-org");
    const chosen = select.value;
    select.replaceChildren(el("option", { value: "" }, "Alle"));
    for (const name of names || []) select.append(el("option", { value: name }, name));
    select.value = names && names.includes(chosen) ? chosen : "";
  }

  function sourceButton(ref, prefix) {
    const button = el("button", { type: "button", class: "source-link" }, (prefix || "") + (ref.citation || ref.title));
    if (ref.chunk_id) button.addEventListener("click", () => showSource(ref));
    else button.disabled = true;
    return button;
  }

  async function showSource(ref) {
    const box = $("agreements-source");
    box.hidden = false;
    box.replaceChildren(el("p", {}, "Henter kilden …"));
    try {
      const response = await fetch("/api/chunks/" + encodeURIComponent(ref.chunk_id), { headers: headers() });
      if (!response.ok) throw new Error(await problem(response));
      const chunk = await response.json();
      box.replaceChildren(el("h3", {}, ref.citation || chunk.label), el("blockquote", {}, chunk.text));
      if (chunk.label) box.append(el("p", { class: "help" }, chunk.label));
      box.scrollIntoView({ block: "nearest" });
    } catch (err) {
      box.replaceChildren(el("p", { class: "fail", role: "alert" }, err.message));
    }
  }

  function renderAgreements(out, data) {
    lastAgreements = data.agreements || [];
    $("agreements-csv").disabled = !lastAgreements.length;
    fillOrganisations(data.organisations);
    if (window.AlmenViews) window.AlmenViews.renderTimeline($("agreements-timeline"), lastAgreements, data.today, showSource);
    if (!lastAgreements.length) {
      out.replaceChildren(el("p", { class: "help" }, data.reason || "Ingen aftaler."));
      return;
    }
    const overdue = lastAgreements.filter((a) => a.overskredet).length;
    const table = el("table", { class: "agreements-table stack-table" });
    const columns = ["Organisation", "Nr.", "Type", "Aftale", "Frist / varighed", "Status", "Kilder"];
    const head = el("tr");
    for (const h of columns) head.append(el("th", { scope: "col" }, h));
    const thead = el("thead");
    thead.append(head);
    const tbody = el("tbody");
    table.append(thead, tbody);
    for (const a of lastAgreements) {
      const row = el("tr");
      const text = el("td", a.category === "oenske" ? { class: "wish" } : {}, a.text);
      if (a.afdeling) text.append(el("div", { class: "help" }, a.afdeling + (a.department ? " · " + a.department : "")));
      else if (a.department) text.append(el("div", { class: "help" }, a.department));
      const status = el("td");
      status.append(el("span", { class: STATUS_STYLE[a.status] || "" }, a.category === "oenske" ? "ønske" : a.status_label));
      if (a.overskredet) status.append(el("div", { class: "status-warn" }, "overskredet"));
      const sources = el("td");
      for (const ref of a.sources || []) sources.append(sourceButton(ref, ""));
      for (const ref of a.status_sources || []) sources.append(sourceButton(ref, "Status: "));
      row.append(el("td", {}, a.organisation || "–"), el("td", {}, a.number === null ? "" : a.number),
        el("td", {}, a.type_label), text, el("td", {}, a.deadline_display || ""), status, sources);
      [...row.children].forEach((c, i) => c.setAttribute("data-label", columns[i]));  // the narrow layout's labels
      tbody.append(row);
    }
    if (window.AlmenViews) window.AlmenViews.tableRoles(table);
    out.replaceChildren(el("p", {}, data.count + " aftale(r) fra " + data.documents + " dokument(er)" +
      (overdue ? "; " + overdue + " med overskredet frist." : ".")), table);
  }

  async function loadAgreements() {
    const out = $("agreements-result");
    out.replaceChildren(el("p", {}, "Henter aftaler …"));
    try {
      const response = await fetch("/api/agreements?" + agreementParams().toString(), { headers: headers() });
      if (!response.ok) throw new Error(await problem(response));
      renderAgreements(out, await response.json());
    } catch (err) {
      out.replaceChildren(el("p", { class: "fail", role: "alert" }, err.message));
    }
  }

  function csvCell(value) {
    let text = value === null || value === undefined ? "" : String(value);
    if (/^[=+\-@]/.test(text)) text = "'" + text;
    return /[";\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  $("agreements-form").addEventListener("submit", (e) => {
    e.preventDefault();
    loadAgreements();
  });

  $("agreements-csv").addEventListener("click", () => {
    const header = ["Organisation", "Afdeling", "Nr.", "Type", "Aftale", "Kommunens afdeling", "Aftalt",
      "Frist / varighed", "Status", "Overskredet", "Kilder"];
    const lines = [header.join(";")];
    for (const a of lastAgreements) {
      lines.push([a.organisation, a.afdeling, a.number, a.type_label, a.text, a.department, a.agreed_date,
        a.deadline_display, a.category === "oenske" ? "ønske" : a.status_label, a.overskredet ? "ja" : "",
        (a.sources || []).map((s) => s.citation).join("; ")].map(csvCell).join(";"));
    }
    const blob = new Blob(["\ufeff" + lines.join("\r\n")], { type: "text/csv;charset=utf-8" });
    const href = URL.createObjectURL(blob);
    const link = el("a", { href: href, download: "aftaler.csv" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(href), 10000);
  });
})();
