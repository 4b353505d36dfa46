export const GET = async (req, res) => {
  res.json({ page: req.query.page }); // reach: request
};
