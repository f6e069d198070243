/* Chopbar console: the board's live updates. Without this script every page works as plain forms. */
(function () {
  "use strict";
  document.addEventListener("htmx:responseError", function () {  /* a refusal (403, signed out): show its page */
    window.location.reload();
  });
  var live = document.getElementById("live");
  if (!live || !window.EventSource) return;
  var audio = null;
  function sound() {  /* a short beep drawn by WebAudio: no file to load */
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var tone = audio.createOscillator(), gain = audio.createGain();
      tone.frequency.value = 880; gain.gain.value = 0.2;
      tone.connect(gain); gain.connect(audio.destination);
      tone.start(); tone.stop(audio.currentTime + 0.3);
    } catch (e) { /* no sound on this browser: the board still updates */ }
  }
  document.addEventListener("click", function () {  /* browsers allow sound once the page was touched */
    if (!audio && (window.AudioContext || window.webkitAudioContext)) audio = new (window.AudioContext || window.webkitAudioContext)();
  }, { once: true });
  function reload() {
    if (window.htmx) window.htmx.ajax("GET", live.dataset.board, { target: "#board", swap: "outerHTML" });
  }
  function connect() {
    var stream = new EventSource(live.dataset.events);
    stream.onopen = reload;  /* what changed while we were connecting */
    stream.addEventListener("board", function (event) {
      var said = JSON.parse(event.data);
      reload();
      if (said["new"] && said["new"].length) { sound(); live.dataset.beeps = String(Number(live.dataset.beeps || 0) + 1); }
    });
    stream.onerror = function () {
      if (stream.readyState === EventSource.CLOSED) {  /* refused (signed out, token to refresh): reload, then again */
        setTimeout(function () { reload(); connect(); }, 3000);
      }
    };
  }
  connect();
})();
