import express from "express";
import { initialize } from "express-openapi";
import * as path from "path";
import routes from "./routes";
import apiDoc from "./api-doc";

const apiApp = express();
apiApp.use(express.json());

// each module below routers/v1 at its own path (the list names them)
initialize({
  app: apiApp,
  apiDoc,
  paths: routes.map((r) => ({
    path: "/" + r,
    module: require(`./routers/v1/${r}`),
  })),
});
// a directory next to this module
initialize({ app: apiApp, apiDoc, paths: path.resolve(__dirname, "api-routes") });
// one module at a path
initialize({ app: apiApp, apiDoc, paths: [{ path: "/health", module: require("./health") }] });
// a directory named from the working directory (the review's root is src/): a cache, no operations
initialize({ app: apiApp, apiDoc, paths: "./src/lib" });

export default apiApp;
