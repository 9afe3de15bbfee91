/* "Use my location": asks the phone for its position and submits it to the finder. When she refuses, or the
   browser cannot tell (WeChat often cannot), she is sent to the place picker below. */
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("locate");
  var status = document.getElementById("locate-status");
  if (!button || !navigator.geolocation) { return; }
  button.hidden = false;
  function denied() {
    button.disabled = false;
    if (status) { status.textContent = status.getAttribute("data-denied"); }
    var picker = document.querySelector("[data-picker] input[type=text]");
    if (picker) { picker.focus(); }
  }
  button.addEventListener("click", function () {
    button.disabled = true;
    if (status) { status.textContent = status.getAttribute("data-waiting"); }
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("id_lat").value = pos.coords.latitude.toFixed(6);
      document.getElementById("id_lng").value = pos.coords.longitude.toFixed(6);
      document.getElementById("locate-form").submit();
    }, denied, { timeout: 15000, maximumAge: 600000 });
  });
});
