// The web console's one script (issue 16): signing in posts JSON to the API (which refuses any other sign-in,
// so no form on another site can sign a browser in), and signing out deletes the session with its CSRF token.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("sign-in");
  if (form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const error = document.getElementById("sign-in-error");
      const button = form.querySelector("button[type=submit]");
      error.textContent = "";
      button.disabled = true;
      try {
        const answer = await fetch("/api/v1/session", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          credentials: "same-origin",
          body: JSON.stringify({ user: form.elements.user.value, password: form.elements.password.value }),
        });
        if (answer.ok) {
          window.location.assign("/hom-nay");
          return;
        }
        error.textContent =
          answer.status === 401 ? form.dataset.wrong
          : answer.status === 429 ? form.dataset.throttled
          : form.dataset.failed;
      } catch {
        error.textContent = form.dataset.failed;
      }
      button.disabled = false;
    });
  }

  const signOut = document.getElementById("sign-out");
  if (signOut) {
    signOut.addEventListener("click", async () => {
      try {
        const answer = await fetch("/api/v1/session", {
          method: "DELETE",
          headers: { "X-CSRF-Token": signOut.dataset.csrf },
          credentials: "same-origin",
        });
        if (answer.ok || answer.status === 401) {
          window.location.assign("/dang-nhap");
          return;
        }
      } catch {
        // Said below.
      }
      window.alert(signOut.dataset.failed);
    });
  }
});
