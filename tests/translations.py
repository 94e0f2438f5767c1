"""What the translation tests share: a request from a browser that asks for Dutch."""

NL = {"HTTP_ACCEPT_LANGUAGE": "nl"}
