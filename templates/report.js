// Click a column header of a sortable table to sort by it (numbers by value, text A-Z).
(function () {
  'use strict';
  function cellValue(row, index) {
    var cell = row.cells[index];
    var text = cell ? cell.textContent.trim() : '';
    var number = parseFloat(text.replace(/[$,%\s]|ms|s$/g, ''));
    var scale = /\d\s*s$/.test(text) && !/ms$/.test(text) ? 1000 : 1;
    return isNaN(number) ? text.toLowerCase() : number * scale;
  }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var body = table.tBodies[0];
    if (!body || !table.tHead) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, index) {
      header.classList.add('sortable-head');
      header.addEventListener('click', function () {
        var descending = header.getAttribute('data-order') !== 'desc';
        header.setAttribute('data-order', descending ? 'desc' : 'asc');
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, index);
          var y = cellValue(b, index);
          var order = x < y ? -1 : x > y ? 1 : 0;
          return descending ? -order : order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
})();
