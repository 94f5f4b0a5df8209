// The Schedule page's script (issue 16): the form that adds a schedule (text read aloud, with a preview to
// listen to first, or an uploaded MP3/WAV with its progress), approving and cancelling from the lists, and
// editing a schedule (`PUT`: a draft changes in place, an approved one gets a revision that waits for approval).
// Every change goes through the JSON API with the session's CSRF token; the API checks every role.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const page = document.getElementById("schedule-page");
  if (!page) return;
  const say = page.dataset;
  const csrf = say.csrf;
  const status = document.getElementById("schedule-status");
  const form = document.getElementById("schedule-form");

  /// A JSON API call with the session's cookie and CSRF token; resolves to the Response.
  function api(method, path, body) {
    const headers = { "X-CSRF-Token": csrf };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /// The API's refusal in the page's words where it is one the page knows, else its own message.
  async function refusal(answer) {
    let message = "";
    try {
      message = (await answer.json()).error || "";
    } catch {
      message = "";
    }
    const conflict = /^conflicts with schedule \S+ '(.*)' at (\d{4})-(\d\d)-(\d\d) (\d\d:\d\d)/.exec(message);
    if (answer.status === 409 && conflict) {
      return `${say.errConflict} “${conflict[1]}” ${conflict[4]}/${conflict[3]}/${conflict[2]} ${conflict[5]}`;
    }
    if (answer.status === 401) return say.errSignedOut;
    if (answer.status === 403 && !/CSRF/.test(message)) return say.errForbidden;
    if (answer.status === 429) return say.errBusy;
    if (answer.status === 413) return /preview/.test(message) ? say.errTooLong : say.errUploadBig;
    if (answer.status === 415) return say.errUploadType;
    if (answer.status === 507) return say.errUploadBig;
    if (/^--text\b.*(is empty|nothing to read)|text is empty/.test(message)) return say.errEmptyText;
    if (/^--title\b/.test(message)) return say.errTitle;
    if (/^--voice\b|^voice '/.test(message)) return say.errVoice;
    if (/is after --until/.test(message)) return say.errFromAfter;
    if (/never air|no airing left/.test(message)) return say.errNoAiring;
    if (/is in the past/.test(message)) return say.errPast;
    return message ? `${say.errServer} ${message}` : `${say.errServer} ${answer.status}`;
  }

  function reloadWith(notice) {
    window.sessionStorage.setItem("loa.schedule.notice", notice);
    window.location.reload();
  }
  const notice = window.sessionStorage.getItem("loa.schedule.notice");
  if (notice) {
    status.textContent = notice;
    window.sessionStorage.removeItem("loa.schedule.notice");
  }

  // Approve and cancel, from the lists.
  for (const button of document.querySelectorAll("button.approve")) {
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        const answer = await api("POST", `/api/v1/schedules/${encodeURIComponent(button.dataset.id)}/approve`);
        if (answer.ok) return reloadWith(say.approved);
        status.textContent = await refusal(answer);
      } catch {
        status.textContent = say.errNetwork;
      }
      button.disabled = false;
    });
  }
  for (const button of document.querySelectorAll("button.cancel")) {
    button.addEventListener("click", async () => {
      if (!window.confirm(`${say.confirmCancel}\n${button.dataset.title}`)) return;
      button.disabled = true;
      try {
        const answer = await api("DELETE", `/api/v1/schedules/${encodeURIComponent(button.dataset.id)}`);
        // 202: an operator's delete of an approved programme waits for an approver.
        if (answer.status === 202) return reloadWith(say.cancelWaiting);
        if (answer.ok || answer.status === 404) return reloadWith(say.cancelled);
        status.textContent = await refusal(answer);
      } catch {
        status.textContent = say.errNetwork;
      }
      button.disabled = false;
    });
  }

  if (!form) return;
  const error = document.getElementById("form-error");
  const field = (name) => form.elements.namedItem(name);
  let editing = null; // The schedule being edited: its id and stored JSON.

  // Dates are typed dd/MM/yyyy and times 24-hour HH:mm whatever the browser's locale (issue 16); the API
  // takes YYYY-MM-DD and HH:MM.
  function isoDate(text) {
    const parts = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text);
    if (!parts) throw new Error(say.errBadDate);
    const [day, month, year] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) throw new Error(say.errBadDate);
    return `${parts[3]}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  }
  function shownDate(iso) {
    const [year, month, day] = iso.split("-");
    return `${day}/${month}/${year}`;
  }
  function isoTime(text) {
    const parts = /^\s*(\d{1,2})\s*[:hg.]\s*(\d{2})\s*$/i.exec(text);
    if (!parts || Number(parts[1]) > 23 || Number(parts[2]) > 59) throw new Error(say.errBadTime);
    return `${parts[1].padStart(2, "0")}:${parts[2]}`;
  }

  // Which parts of the form show: the content's and the recurrence's.
  function showParts() {
    const kind = form.querySelector("input[name=kind]:checked").value;
    document.getElementById("tts-part").hidden = kind !== "tts";
    document.getElementById("audio-part").hidden = kind !== "audio";
    const repeat = form.querySelector("input[name=repeat]:checked").value;
    document.getElementById("once-part").hidden = repeat !== "once";
    document.getElementById("weekly-part").hidden = repeat !== "weekly";
    document.getElementById("monthly-part").hidden = repeat !== "monthly";
  }
  for (const radio of form.querySelectorAll("input[name=kind], input[name=repeat]")) {
    radio.addEventListener("change", showParts);
  }
  showParts();

  // Times: two to start with (the commune's 05:00 and 17:00), more on asking.
  const times = form.querySelector(".time-list");
  function addTime(value) {
    const label = document.createElement("label");
    label.className = "time";
    const hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = `${document.getElementById("add-time").dataset.label} ${times.children.length + 1}`;
    const input = document.createElement("input");
    input.name = "time";
    input.inputMode = "numeric";
    input.autocomplete = "off";
    input.maxLength = 5;
    input.value = value || "";
    label.append(hidden, input);
    times.append(label);
    return input;
  }
  document.getElementById("add-time").addEventListener("click", () => addTime("").focus());

  // Days off (Tết): a list of dates, each with a button to remove it.
  const skips = document.getElementById("skip-list");
  function addSkip(date) {
    if (!date || [...skips.children].some((item) => item.dataset.date === date)) return;
    const item = document.createElement("li");
    item.dataset.date = date;
    const [year, month, day] = date.split("-");
    const text = document.createElement("span");
    text.textContent = `${day}/${month}/${year}`;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "secondary small";
    remove.textContent = say.remove;
    remove.setAttribute("aria-label", `${say.remove} ${day}/${month}/${year}`);
    remove.addEventListener("click", () => item.remove());
    item.append(text, " ", remove);
    skips.append(item);
  }
  document.getElementById("add-skip").addEventListener("click", () => {
    const input = document.getElementById("skip-date");
    error.textContent = "";
    try {
      addSkip(isoDate(input.value));
      input.value = "";
    } catch (gap) {
      error.textContent = gap.message;
    }
  });

  // "Toàn xã" and the hamlets exclude each other.
  const everywhere = document.getElementById("everywhere");
  const zones = [...form.querySelectorAll("input[name=zone]")];
  everywhere.addEventListener("change", () => {
    if (everywhere.checked) for (const zone of zones) zone.checked = false;
  });
  for (const zone of zones) {
    zone.addEventListener("change", () => {
      if (zone.checked) everywhere.checked = false;
    });
  }

  // The preview: the text read aloud by the gateway, played from a blob URL.
  const previewButton = document.getElementById("preview");
  const audio = document.getElementById("preview-audio");
  const previewLength = document.getElementById("preview-length");
  let previewURL = null;
  audio.addEventListener("loadedmetadata", () => {
    if (Number.isFinite(audio.duration)) previewLength.textContent = `${say.duration} ${minutesSeconds(audio.duration)}`;
  });
  previewButton.addEventListener("click", async () => {
    error.textContent = "";
    if (!field("text").value.trim()) {
      error.textContent = say.errEmptyText;
      return;
    }
    previewButton.disabled = true;
    status.textContent = say.previewing;
    try {
      const answer = await api("POST", "/api/v1/speech/preview", {
        text: field("text").value,
        voice: field("voice").value,
        chime: document.getElementById("chime").checked,
      });
      if (answer.ok) {
        if (previewURL) URL.revokeObjectURL(previewURL);
        previewLength.textContent = "";
        previewURL = URL.createObjectURL(await answer.blob());
        audio.src = previewURL;
        audio.hidden = false;
        status.textContent = "";
        audio.play().catch(() => {});
      } else {
        error.textContent = await refusal(answer);
        status.textContent = "";
      }
    } catch {
      error.textContent = say.errNetwork;
      status.textContent = "";
    }
    previewButton.disabled = false;
  });

  // The upload: XMLHttpRequest for its progress events, then the import followed until it is done.
  const uploadButton = document.getElementById("upload");
  const progress = document.getElementById("upload-progress");
  const uploadText = document.getElementById("upload-text");
  const uploadResult = document.getElementById("upload-result");
  const asset = document.getElementById("asset");

  function minutesSeconds(seconds) {
    const whole = Math.round(seconds);
    return `${String(Math.floor(whole / 60)).padStart(2, "0")}:${String(whole % 60).padStart(2, "0")}`;
  }
  function lufs(value) {
    if (typeof value !== "number") return "–";
    const text = value.toFixed(1);
    return `${document.documentElement.lang === "vi" ? text.replace(".", ",") : text} LUFS`;
  }

  async function followImport(id) {
    uploadText.textContent = say.importing;
    for (;;) {
      const answer = await api("GET", `/api/v1/imports/${encodeURIComponent(id)}`);
      if (!answer.ok) throw new Error(await refusal(answer));
      const state = await answer.json();
      if (state.state === "done" && state.asset) return state.asset;
      if (state.state === "failed") {
        const kinds = { unsupportedMedia: say.errUploadType, tooLarge: say.errUploadBig };
        throw new Error(kinds[state.errorKind] || `${say.errServer} ${state.error || ""}`);
      }
      progress.value = 100;
      await new Promise((resolve) => window.setTimeout(resolve, 400));
    }
  }

  uploadButton.addEventListener("click", () => {
    error.textContent = "";
    const file = field("file").files[0];
    if (!file) {
      error.textContent = say.errNoFile;
      return;
    }
    asset.value = "";
    uploadResult.textContent = "";
    document.getElementById("upload-state").hidden = false;
    progress.value = 0;
    uploadText.textContent = say.uploading;
    uploadButton.disabled = true;
    const request = new XMLHttpRequest();
    request.open("POST", "/api/v1/assets");
    request.setRequestHeader("X-CSRF-Token", csrf);
    request.setRequestHeader("X-Loa-Filename", encodeURIComponent(file.name));
    request.setRequestHeader("Content-Type", "application/octet-stream");
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) progress.value = Math.round((100 * event.loaded) / event.total);
    });
    request.addEventListener("load", async () => {
      try {
        if (request.status !== 202 && request.status !== 200) {
          throw new Error(await refusal(new Response(request.responseText, { status: request.status })));
        }
        const imported = await followImport(JSON.parse(request.responseText).id);
        asset.value = imported.id;
        uploadText.textContent = "";
        uploadResult.textContent =
          `${say.duration} ${minutesSeconds(imported.durationSeconds)} · ` +
          `${say.loudness} ${lufs(imported.loudnessBefore.integratedLUFS)} → ` +
          `${lufs(imported.loudnessAfter.integratedLUFS)} ${say.after}`;
        if (!field("title").value) field("title").value = file.name.replace(/\.[^.]*$/, "");
      } catch (failure) {
        uploadText.textContent = "";
        error.textContent = failure.message || say.errNetwork;
      }
      uploadButton.disabled = false;
    });
    request.addEventListener("error", () => {
      uploadText.textContent = "";
      error.textContent = say.errNetwork;
      uploadButton.disabled = false;
    });
    request.send(file);
  });

  /// The draft the form describes, as `POST /api/v1/schedules` takes it; throws the page's words for a gap.
  function draft() {
    const title = field("title").value.trim();
    if (!title) throw new Error(say.errNoTitle);
    let content;
    if (form.querySelector("input[name=kind]:checked").value === "tts") {
      if (!field("text").value.trim()) throw new Error(say.errEmptyText);
      content = { tts: { text: field("text").value, voice: field("voice").value } };
    } else {
      if (!asset.value) throw new Error(say.errNoFile);
      content = { audio: { assetID: asset.value } };
    }
    const typed = [...form.querySelectorAll("input[name=time]")].map((input) => input.value.trim()).filter(Boolean);
    const chosenTimes = [...new Set(typed.map(isoTime))].sort();
    if (chosenTimes.length === 0) throw new Error(say.errNoTime);
    let recurrence;
    switch (form.querySelector("input[name=repeat]:checked").value) {
      case "once": {
        if (!field("once-date").value.trim()) throw new Error(say.errNoDate);
        const date = isoDate(field("once-date").value);
        if (chosenTimes.length > 1) throw new Error(say.errOneTime);
        recurrence = { once: { _0: { date, time: chosenTimes[0] } } };
        break;
      }
      case "weekly": {
        const days = [...form.querySelectorAll("input[name=weekday]:checked")].map((box) => Number(box.value));
        if (days.length === 0) throw new Error(say.errNoDay);
        recurrence = { weekly: { days, times: chosenTimes } };
        break;
      }
      case "monthly": {
        const day = Number(field("month-day").value);
        if (!Number.isInteger(day) || day < 1 || day > 31) throw new Error(say.errNoDate);
        recurrence = { monthly: { day, times: chosenTimes } };
        break;
      }
      default:
        recurrence = { daily: { times: chosenTimes } };
    }
    const chosenZones = zones.filter((zone) => zone.checked).map((zone) => zone.value);
    if (!everywhere.checked && chosenZones.length === 0) throw new Error(say.errNoZone);
    const from = field("from").value.trim() ? isoDate(field("from").value) : "";
    const until = field("until").value.trim() ? isoDate(field("until").value) : "";
    if (from && until && from > until) throw new Error(say.errFromAfter);
    const volume = field("volume").value;
    const body = {
      announcement: { title, content, chime: document.getElementById("chime").checked },
      recurrence,
      skipDates: [...skips.children].map((item) => item.dataset.date).sort(),
      targets: everywhere.checked ? "all" : { zones: chosenZones },
      priority: field("priority").value,
      repeatCount: Math.min(10, Math.max(1, Number(field("repeat-count").value) || 1)),
      repeatGapSeconds: 5,
    };
    if (from) body.validFrom = from;
    if (until) body.validUntil = until;
    if (volume !== "") body.volume = Number(volume);
    return body;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    let body;
    try {
      body = draft();
    } catch (gap) {
      error.textContent = gap.message;
      return;
    }
    const save = document.getElementById("save");
    save.disabled = true;
    try {
      if (editing) {
        // A programme's further items and one-off items are kept: the form edits its first item.
        body.announcement.followingItems = editing.schedule.announcement.followingItems || [];
        body.announcement.itemGapSeconds = editing.schedule.announcement.itemGapSeconds;
        if (editing.schedule.oneOffItems && editing.schedule.oneOffItems.length) {
          body.oneOffItems = editing.schedule.oneOffItems;
        }
      }
      // An edit changes the schedule in place (a draft) or proposes a revision for approval (an approved one).
      const answer = editing
        ? await api("PUT", `/api/v1/schedules/${encodeURIComponent(editing.id)}`, body)
        : await api("POST", "/api/v1/schedules", body);
      if (answer.ok) return reloadWith(say.saved);
      error.textContent = await refusal(answer);
    } catch {
      error.textContent = say.errNetwork;
    }
    save.disabled = false;
  });

  // "Sửa" on a draft: the form filled with it; saving adds the new draft and removes the old.
  const editingNote = document.getElementById("editing");
  const reset = document.getElementById("stop-editing");
  function stopEditing() {
    editing = null;
    editingNote.hidden = true;
    reset.hidden = true;
    form.reset();
    showParts();
  }
  reset.addEventListener("click", stopEditing);

  function fill(schedule) {
    form.reset();
    field("title").value = schedule.announcement.title;
    const content = schedule.announcement.content;
    const kind = content.tts ? "tts" : "audio";
    form.querySelector(`input[name=kind][value=${kind}]`).checked = true;
    if (content.tts) {
      field("text").value = content.tts.text;
      field("voice").value = content.tts.voice;
    } else if (content.audio) {
      asset.value = content.audio.assetID;
    }
    document.getElementById("chime").checked = schedule.announcement.chime;
    const recurrence = schedule.recurrence;
    let chosenTimes = [];
    let repeat = "daily";
    if (recurrence.once) {
      repeat = "once";
      field("once-date").value = shownDate(recurrence.once._0.date);
      chosenTimes = [recurrence.once._0.time];
    } else if (recurrence.weekly || recurrence.everyNWeeks) {
      const weekly = recurrence.weekly || recurrence.everyNWeeks;
      repeat = "weekly";
      for (const box of form.querySelectorAll("input[name=weekday]")) {
        box.checked = weekly.days.includes(Number(box.value));
      }
      chosenTimes = weekly.times;
    } else if (recurrence.monthly) {
      repeat = "monthly";
      field("month-day").value = recurrence.monthly.day;
      chosenTimes = recurrence.monthly.times;
    } else if (recurrence.daily) {
      chosenTimes = recurrence.daily.times;
    }
    form.querySelector(`input[name=repeat][value=${repeat}]`).checked = true;
    times.replaceChildren();
    for (const time of chosenTimes) addTime(time);
    field("from").value = schedule.validFrom ? shownDate(schedule.validFrom) : "";
    field("until").value = schedule.validUntil ? shownDate(schedule.validUntil) : "";
    skips.replaceChildren();
    for (const date of schedule.skipDates || []) addSkip(date);
    everywhere.checked = schedule.targets === "all";
    const chosenZones = (schedule.targets && schedule.targets.zones) || [];
    for (const zone of zones) zone.checked = chosenZones.includes(zone.value);
    field("priority").value = schedule.priority;
    field("volume").value = schedule.volume === undefined || schedule.volume === null ? "" : schedule.volume;
    field("repeat-count").value = schedule.repeatCount || 1;
    showParts();
  }

  for (const button of document.querySelectorAll("button.edit")) {
    button.addEventListener("click", () => {
      const item = button.closest("li");
      const schedule = JSON.parse(item.dataset.json);
      fill(schedule);
      editing = { id: schedule.id, schedule };
      editingNote.textContent = `${say.editing} ${schedule.announcement.title}`;
      editingNote.hidden = false;
      reset.hidden = false;
      form.scrollIntoView({ behavior: "smooth", block: "start" });
      field("title").focus();
    });
  }
});
