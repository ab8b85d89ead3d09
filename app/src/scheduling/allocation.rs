//! Seating of candidates in exam rooms: which session, room and seat each candidate gets,
//! and re-seating after late changes so that as few people as possible have to move.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::names::name_key;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub application_id: Uuid,
    pub position_id: Uuid,
    pub position_code: String,
    pub full_name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Room {
    pub id: Uuid,
    pub name: String,
    pub capacity: u32,
    pub computer: bool,
}

/// One exam session (a time slot at a venue) with the positions that sit it and the rooms it may use.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub id: Uuid,
    pub name: String,
    pub needs_computer: bool,
    pub positions: Vec<Uuid>,
    pub rooms: Vec<Room>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seat {
    pub application_id: Uuid,
    pub session_id: Uuid,
    pub room_id: Uuid,
    pub seat: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    /// Candidates of a position that no session of the stage includes.
    PositionWithoutSession {
        position_code: String,
        candidates: u32,
    },
    /// A position listed in more than one session.
    PositionInSeveralSessions { position_code: String },
    /// More candidates than seats in the session's usable rooms (computer rooms only when the session needs computers).
    OverCapacity {
        session_name: String,
        candidates: u32,
        seats: u32,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    pub seats: Vec<Seat>,
    pub kept: u32,
    pub moved: u32,
    pub added: u32,
}

/// Seats every candidate in the session that includes their position. Given the seats of
/// an earlier run, everyone whose seat is still valid keeps it and only the others are
/// placed. Nothing is allocated while any problem exists; all problems come back at once.
pub fn allocate(
    candidates: &[Candidate],
    sessions: &[Session],
    previous: &[Seat],
) -> Result<Allocation, Vec<Problem>> {
    let ordered = in_seating_order(candidates);
    let session_of = session_of_positions(&ordered, sessions)?;
    let previous_of: HashMap<Uuid, &Seat> =
        previous.iter().map(|s| (s.application_id, s)).collect();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); sessions.len()];
    for (index, candidate) in ordered.iter().enumerate() {
        if let Some(&session) = session_of.get(&candidate.position_id) {
            members[session].push(index);
        }
    }
    let mut by_id: Vec<usize> = (0..sessions.len()).collect();
    by_id.sort_by_key(|&index| sessions[index].id);
    let mut seats = Vec::with_capacity(ordered.len());
    for index in by_id {
        let (session, members) = (&sessions[index], &members[index]);
        // `None` cannot happen once capacity is checked; reported rather than panicking.
        let seated = seat_session(session, members, &ordered, &previous_of)
            .ok_or_else(|| vec![over_capacity(session, members.len())])?;
        seats.extend(seated);
    }

    let (mut kept, mut moved, mut added) = (0, 0, 0);
    for seat in &seats {
        match previous_of.get(&seat.application_id) {
            None => added += 1,
            Some(&old) if old == seat => kept += 1,
            Some(_) => moved += 1,
        }
    }
    Ok(Allocation {
        seats,
        kept,
        moved,
        added,
    })
}

/// Candidates by position, then name as exam boards sort it, then application id; each
/// application once. The position id follows the code so that two positions sharing a code
/// still form separate groups.
fn in_seating_order(candidates: &[Candidate]) -> Vec<&Candidate> {
    let mut ordered: Vec<&Candidate> = candidates.iter().collect();
    ordered.sort_by_cached_key(|c| {
        let name = name_key(&c.full_name);
        (
            c.position_code.clone(),
            c.position_id,
            name,
            c.application_id,
        )
    });
    let mut seen = HashSet::new();
    ordered.retain(|c| seen.insert(c.application_id));
    ordered
}

/// Maps each position to the index of its session, or reports every problem that prevents
/// seating: positions in several sessions or in none, sessions with too few seats.
fn session_of_positions(
    ordered: &[&Candidate],
    sessions: &[Session],
) -> Result<HashMap<Uuid, usize>, Vec<Problem>> {
    let mut session_of = HashMap::new();
    let mut repeated = HashSet::new();
    for (index, session) in sessions.iter().enumerate() {
        for &position in &session.positions {
            if *session_of.entry(position).or_insert(index) != index {
                repeated.insert(position);
            }
        }
    }
    let mut code_of: HashMap<Uuid, &str> = HashMap::new();
    let mut without: BTreeMap<&str, u32> = BTreeMap::new();
    let mut counts = vec![0; sessions.len()];
    for candidate in ordered {
        code_of
            .entry(candidate.position_id)
            .or_insert(&candidate.position_code);
        if repeated.contains(&candidate.position_id) {
            continue;
        }
        match session_of.get(&candidate.position_id) {
            Some(&session) => counts[session] += 1,
            None => *without.entry(&candidate.position_code).or_default() += 1,
        }
    }

    // A position nobody applied to has no code; its id names it instead.
    let code = |p: &Uuid| {
        code_of
            .get(p)
            .map_or_else(|| p.to_string(), |c| c.to_string())
    };
    let several: BTreeSet<String> = repeated.iter().map(code).collect();
    let mut problems: Vec<Problem> = several
        .into_iter()
        .map(|position_code| Problem::PositionInSeveralSessions { position_code })
        .collect();
    for (code, candidates) in without {
        let position_code = code.to_string();
        problems.push(Problem::PositionWithoutSession {
            position_code,
            candidates,
        });
    }
    let mut by_name: Vec<usize> = (0..sessions.len()).collect();
    by_name.sort_by_key(|&index| (&sessions[index].name, sessions[index].id));
    for index in by_name {
        if counts[index] as u64 > usable_seats(&sessions[index]) {
            problems.push(over_capacity(&sessions[index], counts[index]));
        }
    }
    problems.is_empty().then_some(session_of).ok_or(problems)
}

fn usable_seats(session: &Session) -> u64 {
    usable_rooms(session)
        .iter()
        .map(|r| u64::from(r.capacity))
        .sum()
}

fn over_capacity(session: &Session, candidates: usize) -> Problem {
    Problem::OverCapacity {
        session_name: session.name.clone(),
        candidates: u32::try_from(candidates).unwrap_or(u32::MAX),
        seats: u32::try_from(usable_seats(session)).unwrap_or(u32::MAX),
    }
}

/// The rooms a session may use, by name then id, each room once.
fn usable_rooms(session: &Session) -> Vec<&Room> {
    let usable = |r: &&Room| r.computer || !session.needs_computer;
    let mut rooms: Vec<&Room> = session.rooms.iter().filter(usable).collect();
    rooms.sort_by(|a, b| (&a.name, a.id, a.capacity).cmp(&(&b.name, b.id, b.capacity)));
    let mut seen = HashSet::new();
    rooms.retain(|r| seen.insert(r.id));
    rooms
}

/// A room being filled: the seat numbers in use and who sits where.
struct RoomFill<'a> {
    room: &'a Room,
    taken: HashSet<u32>,
    /// (seat number, index of the candidate in seating order)
    occupants: Vec<(u32, usize)>,
    /// No free seat number is below this; numbers are handed out in increasing order.
    next_free: u32,
}

impl RoomFill<'_> {
    fn fits(&self, count: usize) -> bool {
        (self.occupants.len() + count) as u64 <= u64::from(self.room.capacity)
    }

    /// Seats a candidate on the lowest free number; the caller checks `fits` first.
    fn seat_lowest(&mut self, member: usize) {
        while !self.taken.insert(self.next_free) {
            self.next_free = self.next_free.saturating_add(1);
        }
        self.occupants.push((self.next_free, member));
    }
}

/// The first room from `cursor` on with a free seat. Rooms only fill up while seating, so
/// the cursor never has to go back.
fn next_with_space(rooms: &[RoomFill], cursor: &mut usize) -> Option<usize> {
    while *cursor < rooms.len() && !rooms[*cursor].fits(1) {
        *cursor += 1;
    }
    (*cursor < rooms.len()).then_some(*cursor)
}

/// Seats one session's members (indices into `ordered`, ascending), room by room in room
/// order and seat order, or `None` if the seats run out.
fn seat_session(
    session: &Session,
    members: &[usize],
    ordered: &[&Candidate],
    previous_of: &HashMap<Uuid, &Seat>,
) -> Option<Vec<Seat>> {
    let empty = |room| RoomFill {
        room,
        taken: HashSet::new(),
        occupants: Vec::new(),
        next_free: 1,
    };
    let mut rooms: Vec<RoomFill> = usable_rooms(session).into_iter().map(empty).collect();
    let room_index: HashMap<Uuid, usize> = rooms
        .iter()
        .enumerate()
        .map(|(index, fill)| (fill.room.id, index))
        .collect();

    // Previous seats that are still valid, per room, in seating order.
    let mut claims: Vec<Vec<(usize, u32)>> = vec![Vec::new(); rooms.len()];
    let mut unplaced: Vec<usize> = Vec::new();
    for &member in members {
        let claim = previous_of
            .get(&ordered[member].application_id)
            .filter(|seat| seat.session_id == session.id)
            .and_then(|seat| Some((*room_index.get(&seat.room_id)?, seat.seat)));
        match claim {
            Some((room, seat)) => claims[room].push((member, seat)),
            None => unplaced.push(member),
        }
    }
    // A room that shrank keeps its first candidates. Those whose number is now beyond the
    // capacity, or taken twice, get the lowest free number once all kept numbers are known.
    let mut renumber: Vec<(usize, usize)> = Vec::new();
    for (index, claims) in claims.into_iter().enumerate() {
        let fill = &mut rooms[index];
        for (rank, (member, seat)) in claims.into_iter().enumerate() {
            if rank as u64 >= u64::from(fill.room.capacity) {
                unplaced.push(member);
            } else if (1..=fill.room.capacity).contains(&seat) && fill.taken.insert(seat) {
                fill.occupants.push((seat, member));
            } else {
                renumber.push((index, member));
            }
        }
    }
    for (index, member) in renumber {
        rooms[index].seat_lowest(member);
    }
    unplaced.sort_unstable();

    let mut cursor = 0;
    if rooms.iter().all(|fill| fill.occupants.is_empty()) {
        // Fresh: a position's candidates together in the first room that holds them all,
        // else spread over the rooms in order. Seats handed out in seating order number
        // each room in seating order.
        let same_position =
            |a: &usize, b: &usize| ordered[*a].position_id == ordered[*b].position_id;
        for group in unplaced.chunk_by(same_position) {
            let whole = rooms.iter().position(|fill| fill.fits(group.len()));
            for &member in group {
                let index = whole.or_else(|| next_with_space(&rooms, &mut cursor))?;
                rooms[index].seat_lowest(member);
            }
        }
    } else {
        // Re-seating: join a room that already has the position, else the first free room.
        let mut rooms_of: HashMap<Uuid, BTreeSet<usize>> = HashMap::new();
        for (index, fill) in rooms.iter().enumerate() {
            for &(_, member) in &fill.occupants {
                rooms_of
                    .entry(ordered[member].position_id)
                    .or_default()
                    .insert(index);
            }
        }
        for member in unplaced {
            let known = rooms_of.entry(ordered[member].position_id).or_default();
            // A full room leaves the set for good, so each is looked at once.
            while let Some(&full) = known.first().filter(|&&index| !rooms[index].fits(1)) {
                known.remove(&full);
            }
            let index = known
                .first()
                .copied()
                .or_else(|| next_with_space(&rooms, &mut cursor))?;
            rooms[index].seat_lowest(member);
            known.insert(index);
        }
    }

    let mut seats = Vec::with_capacity(members.len());
    for fill in &mut rooms {
        fill.occupants.sort_unstable();
        seats.extend(fill.occupants.iter().map(|&(seat, member)| Seat {
            application_id: ordered[member].application_id,
            session_id: session.id,
            room_id: fill.room.id,
            seat,
        }));
    }
    Some(seats)
}

/// Candidate numbers (số báo danh) for a round: kept once given; new ones continue the sequence.
pub fn candidate_numbers(in_seat_order: &[Uuid], existing: &[(Uuid, u32)]) -> Vec<(Uuid, u32)> {
    let mut known: HashMap<Uuid, u32> = existing.iter().copied().collect();
    // Numbers of withdrawn candidates are never handed out again.
    let mut last = existing.iter().map(|&(_, n)| n).max().unwrap_or(0);
    let mut numbers = Vec::with_capacity(in_seat_order.len());
    let mut listed = HashSet::new();
    for &id in in_seat_order.iter().filter(|&&id| listed.insert(id)) {
        let number = *known.entry(id).or_insert_with(|| {
            last = last.saturating_add(1);
            last
        });
        numbers.push((id, number));
    }
    numbers
}

/// Prefix (up to 4 uppercase letters or digits, e.g. "NA26") and the number padded to five
/// digits: "NA26-00042". Other characters are dropped and letters uppercased, so the result
/// is always safe to print; without a prefix only the number remains.
pub fn format_candidate_number(prefix: &str, number: u32) -> String {
    let prefix = prefix.to_ascii_uppercase();
    let prefix: String = prefix
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(4)
        .collect();
    if prefix.is_empty() {
        format!("{number:05}")
    } else {
        format!("{prefix}-{number:05}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    /// Room `n` is named after its number, so room order is number order.
    fn room(n: u128, capacity: u32, computer: bool) -> Room {
        let name = format!("R{n:03}");
        Room {
            id: id(n),
            name,
            capacity,
            computer,
        }
    }

    fn session(n: u128, needs_computer: bool, positions: &[u128], rooms: Vec<Room>) -> Session {
        let (positions, name) = (positions.iter().map(|&p| id(p)).collect(), format!("S{n}"));
        Session {
            id: id(n),
            name,
            needs_computer,
            positions,
            rooms,
        }
    }

    /// Candidate `n` of position `position` ("P{position}"), named so that name order is
    /// number order.
    fn candidate(n: u128, position: u128) -> Candidate {
        let (position_id, position_code) = (id(position), format!("P{position}"));
        let full_name = format!("Lê Văn A{n:06}");
        Candidate {
            application_id: id(n),
            position_id,
            position_code,
            full_name,
        }
    }

    fn group(first: u128, count: u128, position: u128) -> Vec<Candidate> {
        (first..first + count)
            .map(|n| candidate(n, position))
            .collect()
    }

    /// (candidate, room, seat) for everyone, by candidate.
    fn placed(allocation: &Allocation) -> Vec<(u128, u128, u32)> {
        let as_tuple = |s: &Seat| (s.application_id.as_u128(), s.room_id.as_u128(), s.seat);
        let mut placed: Vec<_> = allocation.seats.iter().map(as_tuple).collect();
        placed.sort_unstable();
        placed
    }

    fn kept_moved_added(allocation: &Allocation) -> (u32, u32, u32) {
        (allocation.kept, allocation.moved, allocation.added)
    }

    fn two_rooms(first: u32, second: u32) -> [Session; 1] {
        let rooms = vec![room(10, first, false), room(11, second, false)];
        [session(1, false, &[100, 200], rooms)]
    }

    #[test]
    fn computer_sessions_use_only_computer_rooms() {
        let rooms = vec![room(10, 50, false), room(11, 2, true), room(12, 2, true)];
        let result = allocate(&group(1, 3, 100), &[session(1, true, &[100], rooms)], &[]);
        let expected = [(1, 11, 1), (2, 11, 2), (3, 12, 1)];
        assert_eq!(placed(&result.unwrap()), expected);
    }

    #[test]
    fn a_position_stays_in_one_room_when_it_fits() {
        let mut candidates = [group(3, 4, 200), group(1, 2, 100)].concat();
        candidates.push(Candidate {
            full_name: "TRẦN  an".into(),
            ..candidate(9, 100)
        });
        let rooms = vec![room(11, 5, false), room(10, 4, false)];
        let result = allocate(&candidates, &[session(1, false, &[100, 200], rooms)], &[]);
        // P100 takes R010 in name order ("An" first); P200 does not fit the seat left there
        // and goes whole to R011.
        let (p100, p200) = (
            [(1, 10, 2), (2, 10, 3)],
            [(3, 11, 1), (4, 11, 2), (5, 11, 3)],
        );
        let expected = [&p100[..], &p200, &[(6, 11, 4), (9, 10, 1)]].concat();
        assert_eq!(placed(&result.unwrap()), expected);
    }

    #[test]
    fn a_position_too_big_for_any_room_spills_over_in_room_order() {
        let rooms = vec![room(11, 3, false), room(10, 3, false)];
        let result = allocate(&group(1, 5, 100), &[session(1, false, &[100], rooms)], &[]);
        let expected = [(1, 10, 1), (2, 10, 2), (3, 10, 3), (4, 11, 1), (5, 11, 2)];
        assert_eq!(placed(&result.unwrap()), expected);
    }

    #[test]
    fn problems_are_reported_together() {
        let candidates = [group(1, 3, 100), group(4, 3, 200), group(7, 3, 300)].concat();
        let problems = |sessions: &[Session]| allocate(&candidates, sessions, &[]).unwrap_err();
        let over = |name: &str, candidates, seats| Problem::OverCapacity {
            session_name: name.into(),
            candidates,
            seats,
        };
        // Every full session is reported; computer rooms only count where computers are needed.
        let mixed = vec![room(10, 40, false), room(11, 1, true)];
        let small = [
            session(1, true, &[100], mixed),
            session(2, false, &[200], vec![room(12, 2, false)]),
            session(3, false, &[300], vec![room(13, 3, false)]),
        ];
        assert_eq!(problems(&small), [over("S1", 3, 1), over("S2", 3, 2)]);
        let missing = [session(1, false, &[100, 200], vec![room(10, 9, false)])];
        let position_code = "P300".to_string();
        let without = Problem::PositionWithoutSession {
            position_code,
            candidates: 3,
        };
        assert_eq!(problems(&missing), [without]);
        let twice = [
            session(1, false, &[100, 300, 200], vec![room(10, 9, false)]),
            session(2, false, &[300, 400], vec![room(11, 0, false)]),
            session(3, false, &[400], vec![room(12, 9, false)]),
        ];
        let several = |position_code: String| Problem::PositionInSeveralSessions { position_code };
        assert_eq!(
            problems(&twice),
            [several(id(400).to_string()), several("P300".into())]
        );
    }

    #[test]
    fn a_late_candidate_is_added_without_moving_anyone() {
        let mut candidates = [group(1, 3, 100), group(4, 3, 200)].concat();
        let first = allocate(&candidates, &two_rooms(4, 4), &[]).unwrap();
        candidates.push(candidate(7, 200));
        let second = allocate(&candidates, &two_rooms(4, 4), &first.seats).unwrap();
        assert_eq!(kept_moved_added(&second), (6, 0, 1));
        // P200 sits in R011, so the newcomer joins it rather than take the seat left in R010.
        assert_eq!(placed(&second)[6], (7, 11, 4));
    }

    #[test]
    fn a_withdrawn_candidate_frees_a_seat_and_nobody_moves() {
        let candidates = group(1, 4, 100);
        let first = allocate(&candidates, &two_rooms(4, 4), &[]).unwrap();
        let second = allocate(&candidates[1..], &two_rooms(4, 4), &first.seats).unwrap();
        assert_eq!(kept_moved_added(&second), (3, 0, 0));
        assert_eq!(placed(&second), [(2, 10, 2), (3, 10, 3), (4, 10, 4)]);
        let third = allocate(&group(2, 4, 100), &two_rooms(4, 4), &second.seats).unwrap();
        assert_eq!(placed(&third)[3], (5, 10, 1));
    }

    #[test]
    fn a_shrunk_room_moves_only_its_overflow() {
        let candidates = group(1, 4, 100);
        let first = allocate(&candidates, &two_rooms(4, 4), &[]).unwrap();
        let second = allocate(&candidates, &two_rooms(3, 8), &first.seats).unwrap();
        assert_eq!(kept_moved_added(&second), (3, 1, 0));
        assert_eq!(placed(&second)[3], (4, 11, 1));
        // Both stay in the room, but seats 3 and 4 are gone: they take the free numbers.
        let third = allocate(&candidates[2..], &two_rooms(2, 8), &first.seats).unwrap();
        assert_eq!(placed(&third), [(3, 10, 1), (4, 10, 2)]);
        assert_eq!(kept_moved_added(&third), (0, 2, 0));
    }

    #[test]
    fn candidate_numbers_are_kept_and_continue_the_sequence() {
        let ids = [id(3), id(1), id(4), id(3), id(5)];
        let numbers = candidate_numbers(&ids, &[(id(1), 7), (id(2), 9)]);
        assert_eq!(numbers, [(id(3), 10), (id(1), 7), (id(4), 11), (id(5), 12)]);
        assert_eq!(candidate_numbers(&[id(1)], &[]), [(id(1), 1)]);
        assert_eq!(format_candidate_number("NA26", 42), "NA26-00042");
        assert_eq!(format_candidate_number("na-26x", 123_456), "NA26-123456");
        assert_eq!(format_candidate_number("", 7), "00007");
    }

    /// 1–4 sessions of 1–6 rooms (ids shared between sessions, names clashing), 0–200
    /// candidates over eight positions, each position in exactly one session, and a seed.
    fn scenario() -> impl Strategy<Value = (Vec<Session>, Vec<Candidate>, u64)> {
        let rooms = prop::collection::vec((1u32..=40, any::<bool>()), 1..=6);
        let sessions = prop::collection::vec((any::<bool>(), rooms), 1..=4);
        let picks = prop::collection::vec((0u128..8, 0usize..40), 0..=200);
        let positions = prop::collection::vec(0usize..4, 8);
        (sessions, picks, positions, any::<u64>()).prop_map(|(specs, picks, home, seed)| {
            let count = specs.len();
            let sessions = specs
                .into_iter()
                .enumerate()
                .map(|(s, (needs_computer, rooms))| {
                    let rooms = rooms
                        .into_iter()
                        .enumerate()
                        .map(|(r, (capacity, computer))| {
                            let name = format!("{}", r % 3);
                            Room {
                                name,
                                ..room(1000 + r as u128, capacity, computer)
                            }
                        });
                    let mine = (0..8u128).filter(|&p| home[p as usize] % count == s);
                    let positions: Vec<u128> = mine.map(|p| 100 + p).collect();
                    session(50 - s as u128, needs_computer, &positions, rooms.collect())
                });
            let syllables = ["Nguyễn", "Trần", "Đặng", "An", "Ánh", "Anh", "Đức", "Dũng"];
            let candidates = picks.into_iter().enumerate().map(|(n, (position, name))| {
                let full_name = format!("{} {}", syllables[name % 8], syllables[name / 5]);
                Candidate {
                    full_name,
                    ..candidate(n as u128 + 1, 100 + position)
                }
            });
            (sessions.collect(), candidates.collect(), seed)
        })
    }

    fn shuffle<T>(items: &mut [T], seed: &mut u64) {
        for i in (1..items.len()).rev() {
            *seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            items.swap(i, (*seed >> 33) as usize % (i + 1));
        }
    }

    proptest! {
        #[test]
        fn allocation_invariants((sessions, candidates, seed) in scenario()) {
            let session_of: HashMap<Uuid, &Session> = sessions
                .iter()
                .flat_map(|s| s.positions.iter().map(move |p| (*p, s)))
                .collect();
            let mut load: HashMap<Uuid, u64> = HashMap::new();
            for c in &candidates {
                *load.entry(session_of[&c.position_id].id).or_default() += 1;
            }
            let full = |s: &&Session| load.get(&s.id).is_some_and(|&n| n > usable_seats(s));
            let over = sessions.iter().filter(full).count();
            let result = match allocate(&candidates, &sessions, &[]) {
                Ok(result) => result,
                Err(problems) => {
                    let counted = |p: &Problem| matches!(p,
                        Problem::OverCapacity { candidates, seats, .. } if candidates > seats);
                    prop_assert!(over > 0 && problems.len() == over);
                    prop_assert!(problems.iter().all(counted));
                    return Ok(());
                }
            };
            prop_assert_eq!(over, 0);
            // (a) Everyone exactly once.
            let seated: HashSet<Uuid> = result.seats.iter().map(|s| s.application_id).collect();
            prop_assert_eq!(seated.len(), candidates.len());
            prop_assert_eq!(result.seats.len(), candidates.len());
            // (b) Within capacity, seats unique; (c) a usable room of the candidate's session.
            let position_of: HashMap<Uuid, Uuid> =
                candidates.iter().map(|c| (c.application_id, c.position_id)).collect();
            let mut taken = HashSet::new();
            let mut in_room: HashMap<(Uuid, Uuid), u32> = HashMap::new();
            for seat in &result.seats {
                let session = session_of[&position_of[&seat.application_id]];
                let room = usable_rooms(session).into_iter().find(|r| r.id == seat.room_id);
                let capacity = room.map_or(0, |r| r.capacity);
                let count = in_room.entry((seat.session_id, seat.room_id)).or_default();
                *count += 1;
                prop_assert_eq!(seat.session_id, session.id);
                prop_assert!((1..=capacity).contains(&seat.seat) && *count <= capacity);
                prop_assert!(taken.insert((seat.session_id, seat.room_id, seat.seat)));
            }
            // (d) Input order does not matter.
            let (mut shuffled, mut reordered) = (candidates.clone(), sessions.clone());
            let mut seed = seed;
            shuffle(&mut shuffled, &mut seed);
            shuffle(&mut reordered, &mut seed);
            reordered.iter_mut().for_each(|s| shuffle(&mut s.rooms, &mut seed));
            prop_assert_eq!(allocate(&shuffled, &reordered, &[]), Ok(result.clone()));
            // (e) Re-running keeps everyone in place.
            let unchanged = Allocation { kept: result.added, added: 0, ..result.clone() };
            prop_assert_eq!(allocate(&candidates, &sessions, &result.seats), Ok(unchanged));
            // (f) A withdrawal moves nobody.
            if !candidates.is_empty() {
                let mut fewer = candidates.clone();
                fewer.remove(seed as usize % candidates.len());
                let after = allocate(&fewer, &sessions, &result.seats);
                let unmoved = (fewer.len() as u32, 0, 0);
                prop_assert_eq!(after.map(|a| kept_moved_added(&a)), Ok(unmoved));
            }
        }
    }

    #[test]
    #[ignore = "timing; run with --release -- --ignored --nocapture"]
    fn allocates_100_000_candidates_quickly() {
        let syllables = [
            "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đặng", "Văn", "Thị", "Ánh",
        ];
        let session = |s: u128| {
            let rooms = (0..100).map(|r| room(10_000 + s * 100 + r, 60, r % 2 == 0));
            let positions: Vec<u128> = (0..10).map(|p| 1_000 + s * 10 + p).collect();
            session(s, false, &positions, rooms.collect())
        };
        let sessions: Vec<Session> = (0..20).map(session).collect();
        let candidate = |n: u128| {
            let full_name = [n % 9, n / 9 % 9, n / 81 % 9]
                .map(|i| syllables[i as usize])
                .join(" ");
            Candidate {
                full_name,
                ..candidate(n + 1, 1_000 + n * 7919 % 200)
            }
        };
        let candidates: Vec<Candidate> = (0..100_000).map(candidate).collect();
        let start = std::time::Instant::now();
        let fresh = allocate(&candidates, &sessions, &[]).unwrap();
        let fresh_time = start.elapsed();
        let start = std::time::Instant::now();
        let again = allocate(&candidates[1..], &sessions, &fresh.seats).unwrap();
        let again_time = start.elapsed();
        println!("100,000 candidates: fresh {fresh_time:?}, re-run {again_time:?}");
        assert_eq!((fresh.added, again.kept, again.moved), (100_000, 99_999, 0));
    }
}
