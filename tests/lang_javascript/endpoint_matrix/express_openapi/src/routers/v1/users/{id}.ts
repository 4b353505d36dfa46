import { requireUser } from "../../../auth";

// dependency injection: the exported function returns the operations
export default function () {
  const operations = { GET: [requireUser, GET], DELETE };

  async function GET(req, res) {
    res.json({ id: req.params.id }); // reach: request
  }

  async function DELETE(req, res) {
    res.json({ deleted: req.params.id }); // reach: request
  }

  return operations;
}
