// Under CI=true every fast-check property draws from one fixed seed, so a CI run fails only on a
// change of the code, never on a new draw. Local runs keep a fresh seed each time, which is how
// new counterexamples are found (and then kept as regression tests).
import fc from "fast-check";

if (process.env.CI === "true") fc.configureGlobal({ seed: 20261204 });
