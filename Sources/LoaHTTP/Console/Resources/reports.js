// "Báo cáo" (issue 16): the "In báo cáo" button prints the page, which the print style sheet in console.css
// lays out as an A4 report for the district. The button shows only where a script can press it.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("print-report");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
