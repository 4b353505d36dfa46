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

  async neverRouted(req, res) {
    res.json(await this.service.all()); // reach: none
  }
}

module.exports = UserController;
