const router = require('express').Router();

router.get('/daily', (req, res) => {
  res.json({ day: req.query.day }); // reach: request
});

module.exports = router;
