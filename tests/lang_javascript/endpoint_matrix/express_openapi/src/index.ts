import express from "express";
import apiApp from "./api";

const app = express();
app.use("/v1", apiApp);
app.listen(3000);
