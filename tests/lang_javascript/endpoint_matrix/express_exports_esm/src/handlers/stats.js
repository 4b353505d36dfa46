const stats = async (req, res) => {
  res.json({ uptime: process.uptime() }); // reach: request
};
export default stats;
