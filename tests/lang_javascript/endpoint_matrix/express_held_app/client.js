exports.api = { get: async (path) => ({ path }) };
