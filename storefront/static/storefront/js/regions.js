// Province → city → district in place: choosing a province fetches its cities
// and districts once (JSON), and the lists below it are filled without a
// round trip. Without this script the form's small buttons reload the page.
(function () {
  var form = document.querySelector("form[data-regions-url]");
  if (!form || !window.fetch) { return; }
  var province = form.elements.province;
  var city = form.elements.city;
  var district = form.elements.district;
  var tree = null;

  function fill(select, items) {
    // The first option is "please choose"; a single choice is made for the buyer.
    select.length = 1;
    items.forEach(function (item) { select.add(new Option(item.name, item.code)); });
    select.value = items.length === 1 ? items[0].code : "";
  }

  function cityOf(code) {
    return tree && tree.cities.filter(function (item) { return item.code === code; })[0];
  }

  function showDistricts() {
    var chosen = cityOf(city.value);
    fill(district, chosen ? chosen.districts : []);
  }

  function load(province_code, keep) {
    tree = null;
    if (!province_code) {
      if (!keep) { fill(city, []); fill(district, []); }
      return;
    }
    var url = form.dataset.regionsUrl.replace("000000", encodeURIComponent(province_code));
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || data.code !== province.value) { return; }
        tree = data;
        if (!keep) { fill(city, data.cities); showDistricts(); }
      })
      .catch(function () { /* The buttons stay: the form still works without us. */
        form.querySelectorAll(".js-region-refresh").forEach(function (b) { b.hidden = false; });
      });
  }

  form.querySelectorAll(".js-region-refresh").forEach(function (b) { b.hidden = true; });
  province.addEventListener("change", function () { load(province.value, false); });
  city.addEventListener("change", showDistricts);
  // A form shown again (an error, the back button) keeps its choices.
  load(province.value, true);
})();
