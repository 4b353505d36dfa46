exports.health = async () => {
  return { ok: true }; // reach: request
};
