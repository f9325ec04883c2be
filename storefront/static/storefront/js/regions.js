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

  function codes(select) {
    return Array.prototype.slice.call(select.options, 1).map(function (o) { return o.value; }).join();
  }

  function showDistricts() {
    var chosen = cityOf(city.value);
    fill(district, chosen ? chosen.districts : []);
  }

  // A list is refilled only when it no longer matches the choice above it, so
  // a form shown again (an error, the back button) keeps the buyer's choices,
  // and a choice made before this script ran still fills the lists.
  function sync() {
    var chosen = cityOf(city.value);
    var cities = tree ? tree.cities.map(function (item) { return item.code; }).join() : "";
    if (codes(city) !== cities) { fill(city, tree ? tree.cities : []); showDistricts(); return; }
    var districts = chosen ? chosen.districts.map(function (item) { return item.code; }).join() : "";
    if (codes(district) !== districts) { showDistricts(); }
  }

  function load() {
    var code = province.value;
    tree = null;
    if (!code) { sync(); return; }
    var url = form.dataset.regionsUrl.replace("000000", encodeURIComponent(code));
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || data.code !== province.value) { return; }
        tree = data;
        sync();
      })
      .catch(function () { /* The buttons stay: the form still works without us. */
        form.querySelectorAll(".js-region-refresh").forEach(function (b) { b.hidden = false; });
      });
  }

  form.querySelectorAll(".js-region-refresh").forEach(function (b) { b.hidden = true; });
  province.addEventListener("change", function () { fill(city, []); fill(district, []); load(); });
  city.addEventListener("change", showDistricts);
  load();
})();
