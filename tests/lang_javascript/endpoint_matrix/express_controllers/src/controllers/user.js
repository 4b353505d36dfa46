class UserController {
  constructor(service) {
    this.service = service;
  }

  async list(req, res) {
    res.json(await this.service.all()); // reach: request
  }

  async show(req, res, next) {
    try {
      res.json(await this.service.one(req.params.id)); // reach: request
    } catch (err) {
      next(err);
    }
  }

  create = async (req, res) => {
    res.status(201).json(await this.service.add(req.body)); // reach: request
  };

  // named like Python's dict.update and set.add: still this class's methods
  update = async (req, res) => {
    res.json(await this.service.update(req.params.id, req.body)); // reach: request
  };

  add = async (req, res) => {
    res.json(await this.service.add({ id: req.params.id, tag: req.body.tag })); // reach: request
  };

  async neverRouted(req, res) {
    res.json(await this.service.all()); // reach: none
  }
}

module.exports = UserController;
