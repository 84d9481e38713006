# When a filter policy counts: iptables-nft creates built-in chains without policy counters
# and adds them with -P, so the INPUT policy counts the echo reply only after -P INPUT ACCEPT.
# nat policies stay at 0 even after -P.
ip netns add a
ip link add v0 type veth peer name v1 netns a
ip addr add 10.0.0.1/24 dev v0
ip link set v0 up
ip netns exec a ip addr add 10.0.0.2/24 dev v1
ip netns exec a ip link set v1 up
iptables -A INPUT -p tcp -j ACCEPT
ping -c 1 -W 1 10.0.0.2
iptables -L -n -v
iptables -P INPUT ACCEPT
ping -c 1 -W 1 10.0.0.2
iptables -L -n -v
iptables -t nat -P POSTROUTING ACCEPT
ping -c 1 -W 1 10.0.0.2
ip netns exec a ping -c 1 -W 1 10.0.0.1
iptables -t nat -L -n -v
iptables -t nat -P PREROUTING ACCEPT
ip netns exec a ping -c 1 -W 1 10.0.0.1
iptables -t nat -L -n -v
