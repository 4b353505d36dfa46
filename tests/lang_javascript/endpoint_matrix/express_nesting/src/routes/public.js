const router = require('express').Router();

router.post('/feedback', (req, res) => {
  res.json({ received: req.body.text }); // reach: request
});

module.exports = router;
