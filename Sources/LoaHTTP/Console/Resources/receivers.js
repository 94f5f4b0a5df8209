// The "Loa" page's script (issue 16): each hamlet's volume form posts JSON to the API with the session's
// CSRF token (the API checks the caller may air), and says in the form what came of it.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form.rx-volume")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const result = form.querySelector(".rx-volume-result");
      const button = form.querySelector("button[type=submit]");
      const input = form.elements.level;
      const level = Number(input.value);
      result.classList.remove("error");
      if (input.value.trim() === "" || !Number.isInteger(level) || level < 0 || level > 100) {
        result.textContent = form.dataset.invalid;
        result.classList.add("error");
        input.focus();
        return;
      }
      button.disabled = true;
      result.textContent = "";
      try {
        const answer = await fetch("/api/v1/volume", {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": form.dataset.csrf },
          body: JSON.stringify({ targets: { zones: [form.dataset.zone] }, level }),
        });
        if (answer.ok) {
          result.textContent = form.dataset.sent;
        } else {
          result.textContent =
            answer.status === 403 ? form.dataset.refused
            : answer.status === 400 ? form.dataset.invalid
            : form.dataset.failed;
          result.classList.add("error");
        }
      } catch {
        result.textContent = form.dataset.failed;
        result.classList.add("error");
      }
      button.disabled = false;
    });
  }
});
