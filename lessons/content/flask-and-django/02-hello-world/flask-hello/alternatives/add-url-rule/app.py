from flask import Flask

app = Flask(__name__)


def hello():
    return "Web App with Python Flask!"


app.add_url_rule("/", view_func=hello)


if __name__ == "__main__":
    app.run()
