# Which nat hooks a flow passes, and what the nat counters count. ns1 and ns2 on bridge
# docker1 (172.18.0.1) in this namespace, bridge-nf-call-iptables=1. Probes: a bridged flow
# (ns1 -> ns2) passes nat PREROUTING and POSTROUTING, a flow to the bridge address passes
# PREROUTING and INPUT, the namespace's own ping passes OUTPUT and POSTROUTING; each rule
# counts one packet per flow, and the nat policies count nothing.
ip netns add ns1
ip netns add ns2
ip link add veth0 type veth peer name veth0-br
ip link add veth1 type veth peer name veth1-br
ip link set veth0 netns ns1
ip link set veth1 netns ns2
ip link add docker1 type bridge
ip link set docker1 up
ip link set veth0-br master docker1
ip link set veth1-br master docker1
ip link set veth0-br up
ip link set veth1-br up
ip netns exec ns1 ip addr add 172.18.0.2/24 dev veth0
ip netns exec ns2 ip addr add 172.18.0.3/24 dev veth1
ip netns exec ns1 ip link set veth0 up
ip netns exec ns2 ip link set veth1 up
ip netns exec ns1 ip link set lo up
ip netns exec ns2 ip link set lo up
ip link set lo up
ip addr add 172.18.0.1/24 dev docker1
sysctl -w net.bridge.bridge-nf-call-iptables=1
iptables -t nat -A POSTROUTING -s 172.18.0.0/24 ! -o docker1 -j MASQUERADE
ip netns exec ns1 ping -c 2 -W 1 172.18.0.3
iptables -t nat -L -n -v
ip netns exec ns1 ping -c 2 -W 1 172.18.0.1
ping -c 1 -W 1 172.18.0.2
iptables -t nat -L -n -v
iptables -t nat -A PREROUTING -p icmp
iptables -t nat -A POSTROUTING -p icmp
iptables -t nat -A OUTPUT -p icmp
iptables -t nat -A INPUT -p icmp
ip netns exec ns1 ping -c 2 -W 1 172.18.0.3
ip netns exec ns1 ping -c 2 -W 1 172.18.0.1
ping -c 1 -W 1 172.18.0.2
iptables -t nat -L -n -v
