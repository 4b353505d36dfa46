exports.exportCsv = async (request, reply) => {
  reply.type('text/csv'); // reach: request
  return 'id\n';
};
