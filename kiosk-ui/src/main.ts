import "./app/ks-app.ts";
