/* "Use my location": asks the phone for its position and submits it to the finder. */
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("locate");
  if (!button || !navigator.geolocation) { if (button) { button.hidden = true; } return; }
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("id_lat").value = pos.coords.latitude.toFixed(6);
      document.getElementById("id_lng").value = pos.coords.longitude.toFixed(6);
      button.form ? button.form.submit() : document.getElementById("id_lat").form.submit();
    });
  });
});
