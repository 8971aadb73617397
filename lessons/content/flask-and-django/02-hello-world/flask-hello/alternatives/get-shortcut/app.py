from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "<h1>Web App with Python Flask!</h1>"


if __name__ == "__main__":
    app.run()
