# Containers on Docker's macvlan network. Each gets a macvlan of the host's LAN link eth0 and an
# address of the LAN, as `docker network create -d macvlan -o parent=eth0` sets them up. They
# reach each other and the LAN router, but the host and its containers do not reach each other,
# because a macvlan hands frames to its link's wire or to its bridge-mode siblings, never to the
# link's own stack. The fix from Docker's documentation, a macvlan of the host's own, ends that.
# The LAN: eth0 to a router at 192.0.2.1. The kernel's default arp_ignore is set first, because
# `verify` builds its sandbox from this machine's values, which a distribution may have changed.
sysctl -qw net.ipv4.conf.all.arp_ignore=0
ip netns add lan
ip link add eth0 type veth peer name lan0 netns lan
ip -n lan addr add 192.0.2.1/24 dev lan0
ip -n lan link set lan0 up
ip addr add 192.0.2.10/24 dev eth0
ip link set eth0 up
# Two containers on bridge-mode macvlans of eth0.
ip netns add web
ip netns add db
ip link add mv-web link eth0 type macvlan mode bridge
ip link add mv-db link eth0 type macvlan mode bridge
ip link set mv-web netns web
ip link set mv-db netns db
ip -n web addr add 192.0.2.21/24 dev mv-web
ip -n db addr add 192.0.2.22/24 dev mv-db
ip -n web link set mv-web up
ip -n db link set mv-db up
ip -n web route add default via 192.0.2.1
ip -n db route add default via 192.0.2.1
ip netns exec web ping -c 1 -W 1 192.0.2.22
ip netns exec web ping -c 1 -W 1 192.0.2.1
# The host and its containers do not see each other.
ping -c 1 -W 1 192.0.2.21
ip netns exec web ping -c 1 -W 1 192.0.2.10
ip neigh show 192.0.2.21
# A macvlan of the host's own on eth0, with the host's address and a route to each container.
ip link add mv-host link eth0 type macvlan mode bridge
ip addr add 192.0.2.10/32 dev mv-host
ip link set mv-host up
ip route add 192.0.2.21/32 dev mv-host
ip route add 192.0.2.22/32 dev mv-host
sleep 3
ping -c 1 -W 1 192.0.2.21
ip netns exec db ping -c 1 -W 1 192.0.2.10
ip route get 192.0.2.22
