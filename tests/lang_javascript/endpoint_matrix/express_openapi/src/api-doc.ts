export default { openapi: "3.0.0", info: { title: "api", version: "1" }, paths: {} };
