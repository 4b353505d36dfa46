'use strict';

/** Quote and invoice lines carry unitPrice in major units (e.g. 89.5 = EUR 89.50). */
function lineAmount(line) {
  return line.quantity * line.unitPrice;
}

function totalOf(lines) {
  let total = 0;
  for (const line of lines) {
    total += lineAmount(line);
  }
  return Math.round(total * 100) / 100;
}

function withVat(amount, vatRate) {
  return amount + amount * vatRate;
}

module.exports = { lineAmount, totalOf, withVat };
