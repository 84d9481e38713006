# The operstate word of a veth without carrier (net/core/link_watch.c, default_operstate):
# computed only at the link's carrier events, from the link with the peer's ifindex in the
# veth's OWN namespace: LOWERLAYERDOWN when that link has no carrier, DOWN when it has
# carrier, does not exist, or is the veth itself. iproute2 adds M-DOWN when a same-namespace
# peer is down. Recorded for hoptrace's link model; every word here is deterministic.
ip link add va type veth peer name vb
ip link set va up
ip link show va
ip link show vb
ip -br link show
ip link set vb up
ip link show va
ip link set vb down
ip link show va
ip link show vb
# Moving vb away leaves va's state as it was, until the next carrier event.
ip netns add n
ip link set vb netns n
ip link show va
ip -n n link set vb up
ip -n n link set vb down
ip link show va
# In m3, q's peer index (2) names s: without carrier, then with carrier.
ip netns add m2
ip netns add m3
ip -n m3 link add s type veth peer name t
ip -n m3 link set dev t up
ip -n m2 link add p type veth peer name q netns m3
ip -n m3 link set q up
ip -n m3 link show q
ip -n m3 link set s up
ip -n m3 link show q
ip -n m2 link set p up
ip -n m2 link set p down
ip -n m3 link show q
