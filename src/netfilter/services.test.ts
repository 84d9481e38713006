import { describe, expect, it } from "vitest";
import { serviceName, servicePort } from "./services.js";

describe("services", () => {
  it("reads back every port's name as that port, for both protocols", () => {
    // acr-nema (104/tcp) lists dicom as an alias before dicom's own entry (11112/tcp), and
    // getservbyname takes the first entry that has the name.
    const firstIsAlias = new Set(["dicom/tcp"]);
    let named = 0;
    for (const protocol of ["tcp", "udp"] as const) {
      for (let port = 0; port < 65536; port++) {
        const name = serviceName(port, protocol);
        if (name === undefined) continue;
        named++;
        if (firstIsAlias.has(`${name}/${protocol}`)) continue;
        expect(servicePort(name, protocol), `${name}/${protocol}`).toBe(port);
      }
    }
    expect(named).toBeGreaterThan(300);
  });

  it("finds aliases and keeps protocols apart", () => {
    expect(servicePort("www")).toBe(80);
    expect(servicePort("dicom", "tcp")).toBe(104);
    expect(serviceName(22, "udp")).toBeUndefined();
    expect(servicePort("nosuch")).toBeUndefined();
  });
});
