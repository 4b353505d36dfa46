const boards = new Map();

const Boards = {
  show(req, res) {
    res.json(boards.get(req.params.id) || null); // reach: request
  },
  addCard(req, res) {
    const board = boards.get(req.params.id) || { cards: [] };
    board.cards.push(String(req.body.title)); // reach: request
    boards.set(req.params.id, board);
    res.status(201).json(board);
  },
  history(req, res) {
    res.json((boards.get(req.params.id) || { cards: [] }).cards); // reach: request
  },
  about(req, res) {
    res.json({ name: 'boards' }); // reach: request
  },
  unrouted(req, res) {
    res.json({}); // reach: none
  },
};

export default Boards;
