/**
 * The SNMP counters `nstat` reads, by name and in the order it prints them: /proc/net/snmp first
 * (Ip, Icmp, IcmpMsg, Tcp, Udp, UdpLite), then /proc/net/snmp6, then /proc/net/netstat (TcpExt,
 * IpExt, MPTcpExt), because nstat (iproute2 misc/nstat.c) loads the files in the opposite order
 * and puts each new table in front of the last. The lists are what `nstat -asz` printed in a
 * fresh network namespace on Linux 6.18 with iproute2 6.1, so they leave out the numbers nstat
 * itself hides (IpForwarding, IpDefaultTTL, TcpRtoAlgorithm, TcpRtoMin, TcpRtoMax, TcpMaxConn,
 * TcpCurrEstab) and the per-type IcmpMsg and Icmp6 counters, which exist only once nonzero.
 */

/** One table of counters: the prefix nstat puts before each name, and the names in order. */
export interface CounterTable {
  prefix: string;
  names: readonly string[];
}

function table(prefix: string, names: string): CounterTable {
  return { prefix, names: names.trim().split(/\s+/) };
}

/** IPv4 counters of /proc/net/snmp (`Ip:` line). */
export const IP_COUNTERS = table(
  "Ip",
  `
  InReceives InHdrErrors InAddrErrors ForwDatagrams InUnknownProtos InDiscards InDelivers
  OutRequests OutDiscards OutNoRoutes ReasmTimeout ReasmReqds ReasmOKs ReasmFails FragOKs
  FragFails FragCreates OutTransmits
`,
);

/** ICMP counters of /proc/net/snmp (`Icmp:` line). */
export const ICMP_COUNTERS = table(
  "Icmp",
  `
  InMsgs InErrors InCsumErrors InDestUnreachs InTimeExcds InParmProbs InSrcQuenchs
  InRedirects InEchos InEchoReps InTimestamps InTimestampReps InAddrMasks InAddrMaskReps
  OutMsgs OutErrors OutRateLimitGlobal OutRateLimitHost OutDestUnreachs OutTimeExcds
  OutParmProbs OutSrcQuenchs OutRedirects OutEchos OutEchoReps OutTimestamps
  OutTimestampReps OutAddrMasks OutAddrMaskReps
`,
);

/** TCP counters of /proc/net/snmp. */
export const TCP_COUNTERS = table(
  "Tcp",
  `
  ActiveOpens PassiveOpens AttemptFails EstabResets InSegs OutSegs RetransSegs InErrs
  OutRsts InCsumErrors
`,
);

/** UDP counters of /proc/net/snmp. */
export const UDP_COUNTERS = table(
  "Udp",
  `
  InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors
  IgnoredMulti MemErrors
`,
);

/** UDP-Lite counters of /proc/net/snmp. */
export const UDPLITE_COUNTERS = table(
  "UdpLite",
  `
  InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors
  IgnoredMulti MemErrors
`,
);

/** IPv6 counters of /proc/net/snmp6. */
export const IP6_COUNTERS = table(
  "Ip6",
  `
  InReceives InHdrErrors InTooBigErrors InNoRoutes InAddrErrors InUnknownProtos
  InTruncatedPkts InDiscards InDelivers OutForwDatagrams OutRequests OutDiscards
  OutNoRoutes ReasmTimeout ReasmReqds ReasmOKs ReasmFails FragOKs FragFails FragCreates
  InMcastPkts OutMcastPkts InOctets OutOctets InMcastOctets OutMcastOctets InBcastOctets
  OutBcastOctets InNoECTPkts InECT1Pkts InECT0Pkts InCEPkts OutTransmits
`,
);

/** ICMPv6 counters of /proc/net/snmp6. */
export const ICMP6_COUNTERS = table(
  "Icmp6",
  `
  InMsgs InErrors OutMsgs OutErrors InCsumErrors OutRateLimitHost InDestUnreachs
  InPktTooBigs InTimeExcds InParmProblems InEchos InEchoReplies InGroupMembQueries
  InGroupMembResponses InGroupMembReductions InRouterSolicits InRouterAdvertisements
  InNeighborSolicits InNeighborAdvertisements InRedirects InMLDv2Reports OutDestUnreachs
  OutPktTooBigs OutTimeExcds OutParmProblems OutEchos OutEchoReplies OutGroupMembQueries
  OutGroupMembResponses OutGroupMembReductions OutRouterSolicits OutRouterAdvertisements
  OutNeighborSolicits OutNeighborAdvertisements OutRedirects OutMLDv2Reports
`,
);

/** UDP over IPv6 counters of /proc/net/snmp6. */
export const UDP6_COUNTERS = table(
  "Udp6",
  `
  InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors
  IgnoredMulti MemErrors
`,
);

/** UDP-Lite over IPv6 counters of /proc/net/snmp6. */
export const UDPLITE6_COUNTERS = table(
  "UdpLite6",
  `
  InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors
  MemErrors
`,
);

/** Linux extensions in /proc/net/netstat (`TcpExt:` line), IPv4 ones included. */
export const TCPEXT_COUNTERS = table(
  "TcpExt",
  `
  SyncookiesSent SyncookiesRecv SyncookiesFailed EmbryonicRsts PruneCalled RcvPruned
  OfoPruned OutOfWindowIcmps LockDroppedIcmps ArpFilter TW TWRecycled TWKilled PAWSActive
  PAWSEstab BeyondWindow TSEcrRejected PAWSOldAck PAWSTimewait DelayedACKs
  DelayedACKLocked DelayedACKLost ListenOverflows ListenDrops TCPHPHits TCPPureAcks
  TCPHPAcks TCPRenoRecovery TCPSackRecovery TCPSACKReneging TCPSACKReorder TCPRenoReorder
  TCPTSReorder TCPFullUndo TCPPartialUndo TCPDSACKUndo TCPLossUndo TCPLostRetransmit
  TCPRenoFailures TCPSackFailures TCPLossFailures TCPFastRetrans TCPSlowStartRetrans
  TCPTimeouts TCPLossProbes TCPLossProbeRecovery TCPRenoRecoveryFail TCPSackRecoveryFail
  TCPRcvCollapsed TCPBacklogCoalesce TCPDSACKOldSent TCPDSACKOfoSent TCPDSACKRecv
  TCPDSACKOfoRecv TCPAbortOnData TCPAbortOnClose TCPAbortOnMemory TCPAbortOnTimeout
  TCPAbortOnLinger TCPAbortFailed TCPMemoryPressures TCPMemoryPressuresChrono
  TCPSACKDiscard TCPDSACKIgnoredOld TCPDSACKIgnoredNoUndo TCPSpuriousRTOs TCPMD5NotFound
  TCPMD5Unexpected TCPMD5Failure TCPSackShifted TCPSackMerged TCPSackShiftFallback
  TCPBacklogDrop PFMemallocDrop TCPMinTTLDrop TCPDeferAcceptDrop IPReversePathFilter
  TCPTimeWaitOverflow TCPReqQFullDoCookies TCPReqQFullDrop TCPRetransFail TCPRcvCoalesce
  TCPOFOQueue TCPOFODrop TCPOFOMerge TCPChallengeACK TCPSYNChallenge TCPFastOpenActive
  TCPFastOpenActiveFail TCPFastOpenPassive TCPFastOpenPassiveFail
  TCPFastOpenListenOverflow TCPFastOpenCookieReqd TCPFastOpenBlackhole
  TCPSpuriousRtxHostQueues BusyPollRxPackets TCPAutoCorking TCPFromZeroWindowAdv
  TCPToZeroWindowAdv TCPWantZeroWindowAdv TCPSynRetrans TCPOrigDataSent
  TCPHystartTrainDetect TCPHystartTrainCwnd TCPHystartDelayDetect TCPHystartDelayCwnd
  TCPACKSkippedSynRecv TCPACKSkippedPAWS TCPACKSkippedSeq TCPACKSkippedFinWait2
  TCPACKSkippedTimeWait TCPACKSkippedChallenge TCPWinProbe TCPKeepAlive TCPMTUPFail
  TCPMTUPSuccess TCPDelivered TCPDeliveredCE TCPAckCompressed TCPZeroWindowDrop
  TCPRcvQDrop TCPWqueueTooBig TCPFastOpenPassiveAltKey TcpTimeoutRehash
  TcpDuplicateDataRehash TCPDSACKRecvSegs TCPDSACKIgnoredDubious TCPMigrateReqSuccess
  TCPMigrateReqFailure TCPPLBRehash TCPAORequired TCPAOBad TCPAOKeyNotFound TCPAOGood
  TCPAODroppedIcmps
`,
);

/** IP extensions in /proc/net/netstat (`IpExt:` line). */
export const IPEXT_COUNTERS = table(
  "IpExt",
  `
  InNoRoutes InTruncatedPkts InMcastPkts OutMcastPkts InBcastPkts OutBcastPkts InOctets
  OutOctets InMcastOctets OutMcastOctets InBcastOctets OutBcastOctets InCsumErrors
  InNoECTPkts InECT1Pkts InECT0Pkts InCEPkts ReasmOverlaps
`,
);

/** MPTCP counters of /proc/net/netstat. */
export const MPTCPEXT_COUNTERS = table(
  "MPTcpExt",
  `
  MPCapableSYNRX MPCapableSYNTX MPCapableSYNACKRX MPCapableACKRX MPCapableFallbackACK
  MPCapableFallbackSYNACK MPCapableSYNTXDrop MPCapableSYNTXDisabled MPCapableEndpAttempt
  MPFallbackTokenInit MPTCPRetrans MPJoinNoTokenFound MPJoinSynRx MPJoinSynBackupRx
  MPJoinSynAckRx MPJoinSynAckBackupRx MPJoinSynAckHMacFailure MPJoinAckRx
  MPJoinAckHMacFailure MPJoinRejected MPJoinSynTx MPJoinSynTxCreatSkErr MPJoinSynTxBindErr
  MPJoinSynTxConnectErr DSSNotMatching DSSCorruptionFallback DSSCorruptionReset
  InfiniteMapTx InfiniteMapRx DSSNoMatchTCP DataCsumErr OFOQueueTail OFOQueue OFOMerge
  NoDSSInWindow DuplicateData AddAddr AddAddrTx AddAddrTxDrop EchoAdd EchoAddTx
  EchoAddTxDrop PortAdd AddAddrDrop MPJoinPortSynRx MPJoinPortSynAckRx MPJoinPortAckRx
  MismatchPortSynRx MismatchPortAckRx RmAddr RmAddrDrop RmAddrTx RmAddrTxDrop RmSubflow
  MPPrioTx MPPrioRx MPFailTx MPFailRx MPFastcloseTx MPFastcloseRx MPRstTx MPRstRx
  SubflowStale SubflowRecover SndWndShared RcvWndShared RcvWndConflictUpdate
  RcvWndConflict MPCurrEstab Blackhole MPCapableDataFallback MD5SigFallback DssFallback
  SimultConnectFallback FallbackFailed WinProbe
`,
);
