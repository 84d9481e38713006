/**
 * The two ways iptables-nft 1.8.9 reports a change the kernel refused.
 *
 * Source of truth: iptables/nft.c (`nft_strerror` and the batch error report) and transcripts
 * recorded with iptables 1.8.9 on Linux 6.18. When iptables itself finds the problem while
 * preparing the change, it prints one sentence from its errno table (`iptables: Chain already
 * exists.`, exit 1, with "Run `dmesg' for more information." added for EINVAL). When the kernel
 * rejects the batch, it prints the batch operation, the strerror text and the object, after two
 * spaces (`iptables v1.8.9 (nf_tables):  RULE_APPEND failed (Invalid argument): rule in chain
 * INPUT`, exit 4).
 */
import { HoptraceError } from "../errors.js";

/** The program and version iptables prints before its messages. */
export const IPTABLES_VERSION = "iptables v1.8.9 (nf_tables)";

/** The errno values the ruleset operations return, with their strerror text. */
export const NFT_ERRNO_TEXT = {
  ENOENT: "No such file or directory",
  EEXIST: "File exists",
  EINVAL: "Invalid argument",
  EBUSY: "Device or resource busy",
  E2BIG: "Argument list too long",
  EMLINK: "Too many links",
  EOPNOTSUPP: "Operation not supported",
} as const;

/** An errno name a ruleset operation can fail with. */
export type NftErrno = keyof typeof NFT_ERRNO_TEXT;

/** A kernel batch operation as iptables names it in errors. */
export type BatchOp = "RULE_APPEND" | "RULE_INSERT" | "RULE_REPLACE" | "CHAIN_DEL";

/**
 * A failure iptables reports from its errno table: `reason` is the sentence without the final
 * period, such as "Bad built-in chain name".
 */
export class IptablesError extends HoptraceError {
  constructor(
    readonly errno: NftErrno,
    readonly reason: string,
  ) {
    const dmesg = errno === "EINVAL" ? " Run `dmesg' for more information." : "";
    super(`iptables: ${reason}.${dmesg}`, 1, "kernel");
  }
}

/** A batch the kernel rejected: `op` failed with `errno` on `object` ("rule in chain X"). */
export class NftBatchError extends HoptraceError {
  constructor(
    readonly op: BatchOp,
    readonly errno: NftErrno,
    readonly object: string,
  ) {
    super(`${IPTABLES_VERSION}:  ${op} failed (${NFT_ERRNO_TEXT[errno]}): ${object}`, 4, "kernel");
  }
}

/** Returns the error iptables prints when a chain, target or match is missing. */
export function noSuchChain(): IptablesError {
  return new IptablesError("ENOENT", "No chain/target/match by that name");
}
