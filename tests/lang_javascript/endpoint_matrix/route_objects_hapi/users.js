exports.showUser = async (request, h) => {
  return h.response({ id: request.params.id }); // reach: request
};
