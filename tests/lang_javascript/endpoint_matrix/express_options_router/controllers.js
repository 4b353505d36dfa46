exports.register = (req, res) => {
  res.status(201).json({ email: req.body.email }); // reach: request
};

exports.login = (req, res) => {
  res.json({ email: req.body.email }); // reach: request
};

exports.logout = (req, res) => {
  res.sendStatus(204); // reach: none
};
