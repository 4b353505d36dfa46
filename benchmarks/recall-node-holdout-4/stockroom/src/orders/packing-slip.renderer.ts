import { Order } from './order.entity';

function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function renderPackingSlip(order: Order): string {
  const rows = order.lines
    .map(
      (line) =>
        `<tr><td>${escapeHtml(line.item?.sku)}</td><td>${escapeHtml(line.item?.name)}</td><td>${line.quantity}</td></tr>`,
    )
    .join('');
  const address = Object.values(order.shipToAddress ?? {})
    .map((part) => escapeHtml(part))
    .join('<br/>');

  return `<!doctype html>
<html>
<head><meta charset="utf-8"><title>Packing slip ${escapeHtml(order.externalRef)}</title></head>
<body>
  <h1>Order ${escapeHtml(order.externalRef)}</h1>
  <p><strong>${escapeHtml(order.shipToName)}</strong><br/>${address}</p>
  <table><thead><tr><th>SKU</th><th>Item</th><th>Qty</th></tr></thead><tbody>${rows}</tbody></table>
  <section class="note"><h2>Note from customer</h2><p>${order.customerNote ?? ''}</p></section>
</body>
</html>`;
}
