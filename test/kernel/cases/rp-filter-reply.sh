# Reverse-path filtering of a reply on the sender. a sends to b through r's eth2 (a's eth1)
# with source 10.0.1.2, and r routes the echo reply back to 10.0.1.2 through its eth0, so the
# reply arrives on a's eth0 while a's route to 10.0.2.2 leaves by eth1: asymmetric. With a's
# rp_filter at 0 the ping works; strict (1) drops the reply on arrival and counts it in
# TcpExtIPReversePathFilter; loose (2) on the arrival interface, which the kernel combines with
# conf.all as max(all, eth0) = 2, lets it through again.
ip netns add r
ip netns add a
ip netns add b
ip netns exec r ip link set lo up
ip netns exec a ip link set lo up
ip netns exec b ip link set lo up
ip netns exec r ip link add eth0 type veth peer name eth0 netns a
ip netns exec r ip link add eth2 type veth peer name eth1 netns a
ip netns exec r ip link add eth1 type veth peer name eth0 netns b
ip netns exec r ip addr add 10.0.1.1/24 dev eth0
ip netns exec r ip addr add 10.0.3.1/24 dev eth2
ip netns exec r ip addr add 10.0.2.1/24 dev eth1
ip netns exec r ip link set eth0 up
ip netns exec r ip link set eth1 up
ip netns exec r ip link set eth2 up
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip netns exec a ip addr add 10.0.1.2/24 dev eth0
ip netns exec a ip addr add 10.0.3.2/24 dev eth1
ip netns exec a ip link set eth0 up
ip netns exec a ip link set eth1 up
ip netns exec a ip route add 10.0.2.0/24 via 10.0.3.1 dev eth1 src 10.0.1.2
ip netns exec b ip addr add 10.0.2.2/24 dev eth0
ip netns exec b ip link set eth0 up
ip netns exec b ip route add default via 10.0.2.1
ip netns exec r ip route get 10.0.1.2
ip netns exec a ip route get 10.0.2.2
# rp_filter off in a: the asymmetric reply is accepted.
ip netns exec a sysctl net.ipv4.conf.all.rp_filter net.ipv4.conf.eth0.rp_filter
ip netns exec a ping -c 1 -W 1 10.0.2.2
# Strict in a: the reply arrives on eth0, but the route back to 10.0.2.2 leaves by eth1.
ip netns exec a sysctl -w net.ipv4.conf.all.rp_filter=1
ip netns exec a ping -c 1 -W 1 10.0.2.2
ip netns exec a ip route get 10.0.1.2 from 10.0.2.2 iif eth0
ip netns exec a nstat -asz TcpExtIPReversePathFilter
ip netns exec r nstat -asz TcpExtIPReversePathFilter
# Loose on the arrival interface: max(all=1, eth0=2) = 2, so the reply is accepted again.
ip netns exec a sysctl -w net.ipv4.conf.eth0.rp_filter=2
ip netns exec a ping -c 1 -W 1 10.0.2.2
ip netns exec a ip route get 10.0.1.2 from 10.0.2.2 iif eth0
