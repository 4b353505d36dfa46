const routes = ["users", "users/{id}"];
export default routes;
