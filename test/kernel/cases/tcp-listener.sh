# nc against a listener started in the case: a connect that succeeds (-z), a client that
# sends stdin and closes (-N), a one-shot listener that is gone after its connection, a -k
# listener that stays, UDP to a closed and to an open port, and the TCP and UDP counters on
# both ends. Namespaces a (10.0.0.1) and b (10.0.0.2) on one veth pair.
mount -t tmpfs tmpfs /tmp
ip netns add a
ip netns add b
ip link add va type veth peer name vb
ip link set va netns a
ip link set vb netns b
ip netns exec a ip addr add 10.0.0.1/24 dev va
ip netns exec b ip addr add 10.0.0.2/24 dev vb
ip netns exec a ip link set va up
ip netns exec b ip link set vb up
ip netns exec a ip link set lo up
ip netns exec b ip link set lo up
ip netns exec b timeout 5 nc -l 80 >/tmp/got.txt 2>&1 & sleep 0.5
echo hello | ip netns exec a nc -N -w 2 10.0.0.2 80
sleep 0.3; cat /tmp/got.txt
ip netns exec a nc -z -v -w 1 10.0.0.2 80
ip netns exec b timeout 5 nc -l -k 8080 >/dev/null 2>&1 & sleep 0.5
ip netns exec a nc -z -v -w 1 10.0.0.2 8080
ip netns exec a nc -z -v -w 1 10.0.0.2 8080
ip netns exec a nc -z -v -w 2 10.0.0.2 81
echo ping | ip netns exec a nc -u -w 1 10.0.0.2 9999
ip netns exec a nstat -az TcpActiveOpens TcpPassiveOpens TcpAttemptFails TcpEstabResets TcpRetransSegs TcpOutRsts UdpInDatagrams UdpNoPorts UdpOutDatagrams IcmpInDestUnreachs
ip netns exec b nstat -az TcpActiveOpens TcpPassiveOpens TcpAttemptFails TcpEstabResets TcpRetransSegs TcpOutRsts UdpInDatagrams UdpNoPorts UdpOutDatagrams IcmpOutDestUnreachs
ip netns exec b iptables -A INPUT -p tcp --dport 81 -j DROP
ip netns exec a nc -z -v -w 2 10.0.0.2 81
ip netns exec a nstat -az TcpActiveOpens TcpAttemptFails TcpRetransSegs
