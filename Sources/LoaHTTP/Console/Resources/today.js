// The Today page's script (issue 16): keeps the live part current from the server's events, stops a
// broadcast, and airs an emergency only after a confirmation step. Every change goes through the JSON API
// with the session's CSRF token; the API decides who may do it.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const live = document.getElementById("live");
  if (!live) return;

  // Live updates: each event is the live part rendered (and escaped) by the server.
  const follow = () => {
    const events = new EventSource(live.dataset.stream);
    events.addEventListener("today", (event) => {
      live.innerHTML = event.data;
    });
    events.addEventListener("error", () => {
      // The browser retries on its own; a closed stream means the session ended or the daemon went away:
      // reloading shows the sign-in page or the error.
      if (events.readyState === EventSource.CLOSED) setTimeout(() => window.location.reload(), 5000);
    });
  };
  follow();

  const post = (path, body) =>
    fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": live.dataset.csrf },
      body: JSON.stringify(body),
    });
  const failure = async (answer) => {
    try {
      const body = await answer.json();
      return body.error || `HTTP ${answer.status}`;
    } catch {
      return `HTTP ${answer.status}`;
    }
  };

  // Stop: one button per broadcast on air (only for those who may stop it).
  live.addEventListener("click", async (event) => {
    const button = event.target.closest("button.stop");
    if (!button) return;
    if (!window.confirm(`${live.dataset.stopConfirm}\n${button.dataset.title}`)) return;
    button.disabled = true;
    try {
      const answer = await post("/api/v1/stop", { broadcast: Number(button.dataset.broadcast) });
      if (!answer.ok) window.alert(`${live.dataset.stopFailed} ${await failure(answer)}`);
    } catch (error) {
      window.alert(`${live.dataset.stopFailed} ${error}`);
    }
    button.disabled = false;
  });

  // Emergency: the form asks, the dialog confirms, and only then is it aired.
  const form = document.getElementById("emergency-form");
  const dialog = document.getElementById("emergency-confirm");
  if (!form || !dialog) return;
  const result = document.getElementById("emergency-result");
  const all = form.querySelector("input[name=all]");
  const zones = [...form.querySelectorAll("input[name=zone]")];
  all.addEventListener("change", () => {
    if (all.checked) zones.forEach((zone) => (zone.checked = false));
  });
  zones.forEach((zone) =>
    zone.addEventListener("change", () => {
      if (zone.checked) all.checked = false;
    }),
  );
  const chosen = () => {
    if (all.checked) return { targets: "all", names: form.dataset.all };
    const picked = zones.filter((zone) => zone.checked);
    if (picked.length === 0) return null;
    return {
      targets: { zones: picked.map((zone) => zone.value) },
      names: picked.map((zone) => zone.parentElement.textContent.trim()).join(", "),
    };
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    result.textContent = "";
    const where = chosen();
    if (!where) {
      result.textContent = form.dataset.pick;
      return;
    }
    document.getElementById("emergency-confirm-targets").textContent = where.names;
    document.getElementById("emergency-confirm-text").textContent = form.elements.text.value.trim();
    dialog.showModal();
    document.getElementById("emergency-confirm-no").focus();
  });
  document.getElementById("emergency-confirm-no").addEventListener("click", () => dialog.close());
  document.getElementById("emergency-confirm-yes").addEventListener("click", async (event) => {
    const button = event.currentTarget;
    const where = chosen();
    const text = form.elements.text.value.trim();
    button.disabled = true;
    try {
      const answer = await post("/api/v1/announce", {
        announcement: { title: text.slice(0, 80), content: { tts: { text, voice: "vi" } }, chime: true },
        skipDates: [],
        targets: where.targets,
        priority: "emergency",
        repeatCount: 1,
        repeatGapSeconds: 0,
      });
      if (answer.ok) {
        result.textContent = form.dataset.sent;
        form.reset();
      } else {
        result.textContent = `${form.dataset.failed} ${await failure(answer)}`;
      }
    } catch (error) {
      result.textContent = `${form.dataset.failed} ${error}`;
    }
    button.disabled = false;
    dialog.close();
  });
});
