window.kgErrors = [];
window.addEventListener("error", function (e) {
  window.kgErrors.push(String(e.message || (e.target && e.target.tagName) || e));
}, true);
window.addEventListener("unhandledrejection", function (e) {
  window.kgErrors.push("unhandled rejection: " + String(e.reason));
});
document.addEventListener("securitypolicyviolation", function (e) {
  window.kgErrors.push("CSP blocked " + e.violatedDirective + " " + e.blockedURI);
});
