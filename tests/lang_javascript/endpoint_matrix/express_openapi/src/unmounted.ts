// exports a GET, but no initialize() serves this module
export async function GET(req, res) {
  res.json({ q: req.query.q }); // reach: none
}
