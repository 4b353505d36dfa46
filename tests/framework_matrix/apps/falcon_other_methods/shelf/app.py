import falcon


class Books:
    def on_get(self, req, resp):  # reach: request
        resp.media = []

    def on_archive(self, req, resp):  # reach: none
        return None


app = falcon.App()
app.add_route("/books", Books())
