# hoptrace: preset cloud-vm
# The container-bridge story as a learner types it on a fresh cloud VM (ens5 172.31.59.121/20,
# default via 172.31.48.1, an idle docker0). Nothing here reaches a real network: 8.8.8.8 is
# answered by the preset's simulated internet.
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
# The two namespaces reach each other across the bridge.
ip netns exec ns1 ping -c 2 -W 1 172.18.0.3
# The VM itself reaches the internet.
ping -c 1 -W 1 8.8.8.8
# ns1 does not: it has no route at all.
ip netns exec ns1 ping -c 1 -W 1 8.8.8.8
# A gateway on the bridge and a default route: the VM answers ns1.
ip addr add 172.18.0.1/24 dev docker1
ip netns exec ns1 ip route add default via 172.18.0.1
ip netns exec ns1 ping -c 1 -W 1 172.31.59.121
# The internet still does not: the VM does not forward.
ip netns exec ns1 ping -c 2 -W 1 8.8.8.8
ip route
ip -br link
