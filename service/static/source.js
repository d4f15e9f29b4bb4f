/* The key form on almen's source page (/kilde/...) where the service uses API keys: the key is sent as a
   header (never in the address) and kept for this tab only, like the key on almen's main page. */
(function () {
  "use strict";
  const KEY_STORAGE = "almen-page-key";
  const form = document.getElementById("src-key");
  if (!form) return;
  const input = document.getElementById("src-key-input");
  const status = document.getElementById("src-key-status");

  async function show(key) {
    const response = await fetch(location.pathname, { headers: { Authorization: "Bearer " + key, Accept: "text/html" } });
    const text = await response.text();
    if (!response.ok) {
      const doc = new DOMParser().parseFromString(text, "text/html");
      const alert = doc.querySelector("[role=alert]");
      throw new Error(alert ? alert.textContent : "Kilden kunne ikke hentes (fejl " + response.status + ").");
    }
    sessionStorage.setItem(KEY_STORAGE, key);
    const doc = new DOMParser().parseFromString(text, "text/html");
    document.title = doc.title;
    document.body.replaceWith(document.importNode(doc.body, true));
    const passage = document.getElementById("passage");
    if (passage) { passage.scrollIntoView({ block: "center" }); passage.focus({ preventScroll: true }); }
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    status.textContent = "Henter kilden …";
    try { await show(input.value.trim()); } catch (err) { status.textContent = err.message; }
  });
  const saved = sessionStorage.getItem(KEY_STORAGE);
  if (saved) show(saved).catch(() => { sessionStorage.removeItem(KEY_STORAGE); });
})();
