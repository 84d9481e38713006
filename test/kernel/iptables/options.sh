iptables -A FORWARD -m physdev --physdev-is-out --physdev-out b --physdev-is-in --physdev-in a --physdev-is-bridged -j ACCEPT
iptables -A FORWARD -m physdev ! --physdev-is-out ! --physdev-out b ! --physdev-is-in ! --physdev-in a ! --physdev-is-bridged -j ACCEPT
iptables -A FORWARD -m physdev --physdev-out b+ -j ACCEPT
iptables -S FORWARD
iptables -L FORWARD -n
iptables -A INPUT -m udp --dport 53 -j ACCEPT
iptables -A INPUT -m icmp --icmp-type 8 -j ACCEPT
iptables -A INPUT -p udp -m tcp --dport 53 -j ACCEPT
iptables -A INPUT -p icmp -m udp --dport 53 -j ACCEPT
iptables -A INPUT -p tcp -m icmp --icmp-type 8 -j ACCEPT
iptables -N u
iptables -A u -j u
iptables -A INPUT -j u
iptables -N v
iptables -N w
iptables -A v -j w
iptables -A w -j v
iptables -A INPUT -j v
iptables -A INPUT -g w
iptables -S
iptables -S -v
iptables -S INPUT -v
iptables -S --line-numbers
iptables -A INPUT -n -j ACCEPT
iptables -A INPUT -x -j ACCEPT
iptables -A INPUT -j ACCEPT -g u
iptables -A INPUT -g nope
iptables -A INPUT -s ! 10.0.0.1 -j ACCEPT
iptables -A INPUT ! ! -s 10.0.0.1 -j ACCEPT
iptables -A INPUT ! -j ACCEPT
iptables -A INPUT -p ! tcp -j ACCEPT
iptables --append INPUT --source 10.0.0.2 --in-interface eth0 --protocol tcp --match tcp --destination-port 22 --jump ACCEPT
iptables --insert INPUT 1 --destination 10.0.0.3 --jump DROP
iptables --list-rules INPUT
iptables --list INPUT --numeric --verbose --exact --line-numbers
iptables --table nat --new-chain Z
iptables --table nat --list-rules Z
iptables -w -A INPUT -j DROP
iptables --wait 5 -A INPUT -j DROP
iptables -w 5 -S INPUT 1
iptables -A INPUT -p udp --source-port 5 --destination-port 6 -j ACCEPT
iptables -A INPUT -p udp --sports 5 -j ACCEPT
iptables -A INPUT -p tcp --dpor 5 -j ACCEPT
iptables -S INPUT
iptables -Z INPUT 99
iptables -Z INPUT 0
iptables -L INPUT 99 -n
iptables -L INPUT 0 -n
iptables -L -v INPUT
iptables -S -L
iptables -F -X
iptables -F INPUT -X u
iptables -C INPUT
iptables -C INPUT 1
iptables -D INPUT
iptables -R INPUT 1
iptables -R INPUT -j ACCEPT
iptables -I INPUT x -j ACCEPT
iptables -D INPUT x
iptables -D INPUT 1 -j ACCEPT
iptables -V
iptables --version
iptables -4 -S INPUT 1
