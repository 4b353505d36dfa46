from flask import Flask

from library.loans import LoanPages

app = Flask(__name__)
app.register_blueprint(LoanPages({}))
